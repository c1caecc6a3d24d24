/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * vfiopm-trace's BPF programs as the host runs them: the per-device state
 * and rules of bpf/vfiopm-balance.h, with small tables where the programs
 * have BPF maps, moved exactly as on_ref() and the suspend and low-power
 * exit programs move them. For the unit tests (test_balance.c) and the
 * differential replay of logs (replay_core.c).
 */
#ifndef VFIOPM_SIM_H
#define VFIOPM_SIM_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vfiopm-balance.h"

#ifndef SIM_FULL
#define SIM_FULL() abort()
#endif

#define SIM_SLOTS 64
#define SIM_TASKS 64
#define SIM_DEV 1	/* dev_id of the one device */

struct sim_slot {
	bool used;
	struct ref_key k;
	struct ref_val v;
};

struct sim_task {
	__u32 tid;
	bool used;
	struct rpm_stash st;
};

struct sim {
	struct dev_state s;
	struct sim_slot refs[SIM_SLOTS];
	struct sim_task tasks[SIM_TASKS];
	__u64 now;
	int usage;		/* the count the kernel reports */
};

static inline struct ref_val *sim_lookup(struct sim *m, const struct ref_key *k)
{
	for (int i = 0; i < SIM_SLOTS; i++)
		if (m->refs[i].used && !memcmp(&m->refs[i].k, k, sizeof(*k)))
			return &m->refs[i].v;
	return NULL;
}

static inline void sim_insert(struct sim *m, const struct ref_key *k, int count)
{
	for (int i = 0; i < SIM_SLOTS; i++) {
		if (m->refs[i].used)
			continue;
		memset(&m->refs[i], 0, sizeof(m->refs[i]));
		m->refs[i].used = true;
		m->refs[i].k = *k;
		m->refs[i].v.count = count;
		m->refs[i].v.ts = m->now;
		return;
	}
	SIM_FULL();
}

static inline void sim_delete(struct sim *m, const struct ref_key *k)
{
	for (int i = 0; i < SIM_SLOTS; i++)
		if (m->refs[i].used && !memcmp(&m->refs[i].k, k, sizeof(*k)))
			m->refs[i].used = false;
}

/* The task's record in the stash map (task_claim() creates it). */
static inline struct rpm_stash *sim_task(struct sim *m, __u32 tid)
{
	struct sim_task *free = NULL;

	for (int i = 0; i < SIM_TASKS; i++) {
		if (m->tasks[i].used && m->tasks[i].tid == tid)
			return &m->tasks[i].st;
		if (!m->tasks[i].used && !free)
			free = &m->tasks[i];
	}
	if (!free)
		SIM_FULL();
	memset(free, 0, sizeof(*free));
	free->used = true;
	free->tid = tid;
	return &free->st;
}

/* References outstanding: all of them, or those of per-task pairings and resets. */
static inline int sim_outstanding(const struct sim *m, bool transient_only)
{
	int n = 0;

	for (int i = 0; i < SIM_SLOTS; i++) {
		const struct sim_slot *sl = &m->refs[i];

		if (!sl->used || sl->v.count == 0)
			continue;
		if (transient_only && (sl->v.count < 0 || !(rule_per_task((int)sl->k.pairing) ||
							     sl->k.pairing == PAIR_RESET)))
			continue;
		n++;
	}
	return n;
}

static inline void sim_start(struct sim *m, __u64 now, int model)
{
	memset(m, 0, sizeof(*m));
	m->s.model = model;
	m->s.pending_tid = -1;
	m->now = now;
}

/* One get or put (reason < 0: an ioctl's) at time now, reporting usage after it: as on_ref(). */
static inline __u32 sim_ref(struct sim *m, __u64 now, bool get, int op, int reason, __u32 tid,
			    int ret, int usage)
{
	__u32 pairing = reason < 0 ? PAIR_IOCTL : reason_pairing(reason);
	struct ref_key k = { .dev_id = SIM_DEV, .owner = pairing_owner(pairing, tid),
			     .pairing = pairing };
	struct rpm_stash *st = sim_task(m, tid);
	__u64 age = 0, prev_event;
	__u32 flags = 0;
	int act = SLOT_KEEP;

	m->now = now;
	m->usage = usage;
	if (pairing == PAIR_LOW_POWER)
		m->s.engaged = !get;
	prev_event = st->ev_dev == SIM_DEV ? st->last_event : 0;	/* task_claim() */
	st->vfio_task = 1;
	st->ev_dev = SIM_DEV;
	st->last_event = now;
	flags |= task_held_check(st, &m->s, SIM_DEV, pairing, get);
	if (get && ret == 0) {
		model_get(&m->s, op, tid);
		flags |= slot_get(sim_lookup(m, &k), pairing, now, &age, &act);
		if (act == SLOT_CREATE)
			sim_insert(m, &k, 1);
	} else if (!get) {
		flags |= model_put(&m->s, op, reason, ret, usage);
		flags |= slot_put(sim_lookup(m, &k), pairing, k.owner, now, m->s.session_seen, &age,
				  &act) & (flags & FL_UNDERFLOW ? ~FL_NO_GET : ~0u);
		if (act == SLOT_CREATE)
			sim_insert(m, &k, -1);
		if (reason == R_DISABLE)
			flags |= session_close_check(&m->s, prev_event);
	}
	if (act == SLOT_DELETE)
		sim_delete(m, &k);
	if (rule_per_task((int)pairing) && (!get || ret == 0))
		task_held_move(st, SIM_DEV, get, now);
	session_seen_by(&m->s, get, reason, ret);
	model_sync(&m->s, usage);
	return flags;
}

/* A runtime suspend, as vfio_pci_runtime_suspend's program records it. */
static inline void sim_suspend(struct sim *m, __u64 now)
{
	struct ref_key k = { .dev_id = SIM_DEV, .pairing = PAIR_SESSION };

	m->now = now;
	session_mark_at_suspend(&m->s, sim_lookup(m, &k), now);
}

/* vfio_pci_low_power_exit's program. */
static inline void sim_low_power_exit(struct sim *m)
{
	m->s.engaged = 0;
}

#endif
