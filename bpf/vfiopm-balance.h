/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balance rules of docs/design.md as pure functions of the traced state: no
 * BPF helpers, no maps. The BPF programs look up and update the maps around
 * them; tools/vfiopm-trace/tests/test_balance.c runs the same code on the host.
 */
#ifndef VFIOPM_BALANCE_H
#define VFIOPM_BALANCE_H

#include "vfiopm-trace.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define BAL_EINVAL		22
/* a per-task put this soon after the device was first seen may close a get made before */
#define BAL_INCONCLUSIVE_NS	100000000ULL

/* What the caller does with the owner's slot in the outstanding-reference map. */
enum slot_action {
	SLOT_KEEP,	/* nothing, or v was updated in place */
	SLOT_FILL,	/* v reused for a new get: record when, where and which cmd */
	SLOT_CREATE,	/* new slot, count 1 for a get, -1 for an inverted pairing's put */
	SLOT_DELETE,
};

static __always_inline __u32 reason_pairing(int reason)
{
	switch (reason) {
	case 0: return PAIR_REGION;
	case 1: case 2: return PAIR_SESSION;
	case 3: case 4: return PAIR_LOW_POWER;
	case 5: case 6: return PAIR_BINDING;
	case 7: return PAIR_SRIOV;
	case 8: return PAIR_RESET;
	}
	return PAIR_NONE;
}

/* Per-task pairings are owned by the thread, the others by the device (0). */
static __always_inline __u64 pairing_owner(__u32 pairing, __u32 tid)
{
	return pairing == PAIR_IOCTL || pairing == PAIR_REGION ? tid : 0;
}

/* Walks the model to the count the event reports; flags what it cannot explain. */
static __always_inline __u32 model_check(struct dev_state *s, int usage, int *delta)
{
	if (s->model < 0 || s->model == usage) {
		s->model = usage;
		return 0;
	}
	*delta = usage - s->model;
	s->model = usage;
	return FL_UNEXPLAINED;
}

/*
 * A runtime resume whose count is one above the model is the pending
 * resume_and_get of this task (docs/tracepoints.md, "Ordering"): counted now,
 * not again when its own event follows.
 */
static __always_inline bool model_resume(struct dev_state *s, int usage, __u32 tid)
{
	if (s->model < 0 || usage != s->model + 1)
		return false;
	s->model++;
	s->pending_tid = (__s32)tid;
	return true;
}

/* A successful get; true when a resume already counted it. */
static __always_inline bool model_get(struct dev_state *s, int op, __u32 tid)
{
	s->gets++;
	if (op == OP_RESUME_AND_GET && s->pending_tid == (__s32)tid) {
		s->pending_tid = -1;
		return true;
	}
	if (s->model >= 0)
		s->model++;
	return false;
}

/* A put refused at count 0: -EINVAL, or a put_noidle that found nothing to drop. */
static __always_inline bool put_underflows(const struct dev_state *s, int op, int ret, int usage)
{
	return ret == -BAL_EINVAL || (op == OP_PUT_NOIDLE && s->model == 0 && usage == 0);
}

/* A put: FL_UNDERFLOW / FL_ENTRY_AT_CLOSE; the model drops unless it underflowed. */
static __always_inline __u32 model_put(struct dev_state *s, int op, int reason, int ret, int usage)
{
	__u32 flags = 0;

	if (put_underflows(s, op, ret, usage))
		flags |= FL_UNDERFLOW;
	else if (s->model > 0)
		s->model--;
	s->puts++;
	if (reason == 2 && s->engaged)	/* disable: the last close */
		flags |= FL_ENTRY_AT_CLOSE;
	return flags;
}

/*
 * A get against its owner's slot v (NULL: none yet). Inverted pairings (low
 * power, binding) start with the put; their get closes the slot.
 */
static __always_inline __u32 slot_get(struct ref_val *v, __u32 pairing, __u64 now, __u64 *age,
				      int *act)
{
	*act = SLOT_KEEP;
	if (v) {
		if (v->count < 0) {
			*age = now - v->ts;
			*act = SLOT_DELETE;
			return 0;
		}
		if (v->count == 0) {	/* a task's slot stays for its next call */
			v->count = 1;
			v->ts = now;
			*act = SLOT_FILL;
			return 0;
		}
		v->count++;
		return pairing == PAIR_SRIOV || pairing == PAIR_RESET ? 0 : FL_DOUBLE_GET;
	}
	if (pairing != PAIR_LOW_POWER && pairing != PAIR_BINDING)
		*act = SLOT_CREATE;
	/* else: its put predates tracing */
	return 0;
}

/* A put against its owner's slot v; first_seen is when tracing saw the device. */
static __always_inline __u32 slot_put(struct ref_val *v, __u32 pairing, __u64 owner, __u64 now,
				      __u64 first_seen, __u64 *age, int *act)
{
	*act = SLOT_KEEP;
	if (v && v->count != 0) {
		*age = now - v->ts;
		if (v->count < 0)
			return FL_DOUBLE_GET;	/* second entry without exit */
		if (--v->count == 0 && owner == 0)
			*act = SLOT_DELETE;
		return 0;
	}
	if (pairing == PAIR_LOW_POWER || pairing == PAIR_BINDING) {
		*act = SLOT_CREATE;
		return 0;
	}
	/*
	 * No get seen: a device's reference (open session) may predate
	 * tracing, a task's only if the task was in that call when tracing began.
	 */
	if (owner == 0 || now - first_seen < BAL_INCONCLUSIVE_NS)
		return FL_INCONCLUSIVE;
	return FL_NO_GET;
}

#endif
