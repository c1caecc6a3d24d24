/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * vfiopm-trace's per-device and per-owner state, moved by the rules of
 * vfiopm-rules.h: no BPF helpers, no maps. The BPF programs look up and
 * update the maps around them; tools/vfiopm-trace/tests/test_balance.c runs
 * the same code on the host.
 */
#ifndef VFIOPM_BALANCE_H
#define VFIOPM_BALANCE_H

#include "vfiopm-trace.h"
#include "vfiopm-rules.h"

#define BAL_EINVAL		VFIOPM_EINVAL

/* What the caller does with the owner's slot in the outstanding-reference map. */
enum slot_action {
	SLOT_KEEP,	/* nothing, or v was updated in place */
	SLOT_FILL,	/* v reused for a new get: record when, where and which cmd */
	SLOT_CREATE,	/* new slot, count 1 for a get, -1 for an inverted pairing's put */
	SLOT_DELETE,
};

static __always_inline __u32 reason_pairing(int reason)
{
	return (__u32)rule_reason_pairing(reason);
}

/* Per-task pairings are owned by the thread, the others by the device (0). */
static __always_inline __u64 pairing_owner(__u32 pairing, __u32 tid)
{
	return rule_per_task((int)pairing) ? tid : 0;
}

/*
 * The model is the count read at the device's last event (model_sync), for
 * latency attribution only: no finding reads it (docs/design.md, "Balance
 * rules"). A runtime resume whose count is one above it is taken as the
 * pending resume_and_get of this task (docs/tracepoints.md, "Ordering"),
 * whose wake latency it then times.
 */
static __always_inline bool model_resume(struct dev_state *s, int usage, __u32 tid)
{
	if (s->model < 0 || usage != s->model + 1)
		return false;
	s->pending_tid = (__s32)tid;
	return true;
}

/* An enable get or a register put under tracing: every later per-task call is seen whole. */
static __always_inline void session_seen_by(struct dev_state *s, bool get, int reason, int ret)
{
	if ((get && reason == R_ENABLE && ret == 0) ||
	    (!get && reason == R_REGISTER))
		s->session_seen = 1;
}

/* After each event: the estimate follows the count read (no finding, F1). */
static __always_inline void model_sync(struct dev_state *s, int usage)
{
	s->model = usage;
}

/* A successful get; true when a resume already counted it. */
static __always_inline bool model_get(struct dev_state *s, int op, __u32 tid)
{
	s->gets++;
	if (op == OP_RESUME_AND_GET && s->pending_tid == (__s32)tid) {
		s->pending_tid = -1;
		return true;
	}
	return false;
}

/* A put: FL_UNDERFLOW / FL_ENTRY_AT_CLOSE. */
static __always_inline __u32 model_put(struct dev_state *s, int op, int reason, int ret, int usage)
{
	__u32 flags = 0;

	if (rule_put_underflows(op, reason, ret, usage))
		flags |= FL_UNDERFLOW;
	s->puts++;
	if (reason == R_DISABLE && s->engaged)	/* the last close */
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
	if (!rule_inverted((int)pairing))
		*act = SLOT_CREATE;
	/* else: its put predates tracing */
	return 0;
}

/*
 * A put against its owner's slot v. A put with no get is certain only once
 * the pairing is baselined: the task finished a call of this pairing under
 * tracing (its slot is there, at 0), or tracing saw the session open, which
 * every region access and ioctl of the device follows. Otherwise the task
 * may have been in that call when tracing began.
 */
static __always_inline __u32 slot_put(struct ref_val *v, __u32 pairing, __u64 owner, __u64 now,
				      bool session_seen, __u64 *age, int *act)
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
	if (rule_inverted((int)pairing)) {
		*act = SLOT_CREATE;
		return 0;
	}
	if (owner == 0)
		return FL_INCONCLUSIVE;
	/* a load under the test: clang may not fold it into a bitwise or on the pointer */
	if (v && v->ts)
		return FL_NO_GET;
	return session_seen ? FL_NO_GET : FL_INCONCLUSIVE;
}

/*
 * Before a vfio event of task st: whether a per-task reference it holds on
 * the device was held across a runtime suspend (rule_held_at_suspend).
 */
static __always_inline __u32 task_held_check(const struct rpm_stash *st, const struct dev_state *s,
					     __u64 id, __u32 pairing, bool get)
{
	bool releases = !get && rule_per_task((int)pairing);

	if (!st || !st->held || st->held_dev != id)
		return 0;
	return rule_held_at_suspend(st->held_since && s->ts_last_suspend > st->held_since,
				    releases) ? FL_HELD_AT_SUSPEND : 0;
}

/* After a successful per-task get or put: the task's held count. */
static __always_inline void task_held_move(struct rpm_stash *st, __u64 id, bool get, __u64 now)
{
	if (get) {
		if (!st->held || st->held_dev != id) {
			st->held = 0;
			st->held_dev = id;
			st->held_since = now;
		}
		st->held++;
	} else if (st->held && st->held_dev == id && !--st->held) {
		st->held_since = 0;
	}
}

/*
 * At a runtime suspend: mark the session's reference if nothing cancels it.
 * An open mark is kept: the earliest suspend is the strictest test.
 */
static __always_inline void session_mark_at_suspend(struct dev_state *s, const struct ref_val *session,
						    __u64 now)
{
	s->ts_last_suspend = now;
	if (!s->session_mark && rule_session_must_close(session ? session->count : 0, s->engaged))
		s->session_mark = now;
}

/* The disable put of task st: FL_HELD_AT_SUSPEND if it made events since the mark. */
static __always_inline __u32 session_close_check(struct dev_state *s, __u64 prev_event)
{
	__u64 mark = s->session_mark;

	s->session_mark = 0;
	return rule_session_held_at_suspend(mark != 0, prev_event > mark) ? FL_HELD_AT_SUSPEND : 0;
}

#endif
