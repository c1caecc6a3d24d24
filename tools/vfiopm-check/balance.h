/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The balance rules of docs/design.md as a per-device state machine. Events
 * must come in timestamp order (see reorder.h); the checker keeps one small
 * record per device and per open pairing key, never per event.
 */
#ifndef VFIOPM_BALANCE_H
#define VFIOPM_BALANCE_H

#include <stdint.h>

#include "event.h"
#include "residency.h"
#include "vfiopm-rules.h"

/* The pairings of the event contract (PAIR_*), and two of the checker's own. */
enum {
	P_COUNT = PAIR_MAX,	/* the usage count as a whole */
	P_LOG,			/* the log as a whole */
	P__N
};

enum fkind {
	F_LEAK, F_UNDERFLOW, F_HELD_AT_SUSPEND, F_ACTIVE_UNOWNED,
	F_ENTRY_AT_CLOSE, F_SEQUENCE, F_NOT_IDLE,
	F_PRELOG, F_LOST, F_CUT, F_MALFORMED, F_NO_EVENTS,
	F_OPEN_AT_END,
	F__N
};

enum severity { SEV_IMBALANCE, SEV_INCONCLUSIVE, SEV_INFO };

struct finding {
	enum fkind kind;
	enum severity sev;
	int definitive;		/* kernel-reported: holds even in a lossy log */
	int pairing;		/* PAIR_*, P_COUNT, P_LOG */
	char dev[DEV_LEN];
	char site[48];		/* "ioctl 0x3b75 VFIO_DEVICE_FEATURE", "region_rw", ... */
	int pid;
	char comm[COMM_LEN];
	uint64_t ts;
	uint64_t age;		/* leaks: end of log - get */
	int has_age;
	int count;		/* usage_count at the event, or -1 */
	long line;
	uint64_t times;		/* identical findings folded into this one */
	char msg[200];
};

struct check_opts {
	int expect_idle;
	/* sees every event the checker takes, in timestamp order (the differential test) */
	void (*observe)(void *ctx, const struct event *ev);
	void *observe_ctx;
	const char *const *devs;	/* -d filter, NULL-terminated or NULL */
};

struct ref {
	int pairing;
	int pid;		/* part of the key for ioctl and region, else 0 */
	int task;		/* who took the oldest outstanding one */
	unsigned int cmd;	/* of the oldest outstanding ioctl */
	int held_at_suspend;	/* a suspend came while held: the put must come next */
	long n;
	uint64_t ts;
	long line;
	char comm[COMM_LEN];
};

enum rt_state { RT_UNKNOWN, RT_ACTIVE, RT_SUSPENDED };

#define LP_ENTRY_TASKS 8

struct dev_state {
	char name[DEV_LEN];
	uint64_t events, gets, puts, failed_gets;
	uint64_t first_ts, last_ts;
	int base_session;	/* saw enable or register: session pairings are complete */
	int base_binding;	/* saw register: binding pairings are complete */
	int unregistered;
	int last_obs;		/* usage_count of the last event */
	int lp_exit_pending;
	size_t n_held_at_suspend;	/* refs with held_at_suspend set */
	/*
	 * A suspend found the session's reference held and not cancelled by
	 * low power: its put must be the closing thread's first event since.
	 * The threads seen since are kept until that put.
	 */
	int session_mark;
	int *since_mark;
	size_t n_since_mark, since_cap;
	/*
	 * Tasks whose low_power_entry put_noidle is seen and whose ENTRY event
	 * is not: the event fires after memory_lock is dropped, so another
	 * task's EXIT can come between the two (docs/design.md).
	 */
	int lp_entry_tasks[LP_ENTRY_TASKS];
	int n_lp_entry_tasks;
	int lp_entry_overflow;	/* more than that: the check stays silent */
	enum rt_state rt;
	struct residency res;
	unsigned int prelog_mask;
	struct ref *refs;
	size_t nrefs, refcap;
};

#define MAX_FINDINGS 512

struct checker {
	const struct check_opts *o;
	struct dev_state *devs;
	size_t ndevs, devcap;
	struct finding *f;
	size_t nf;
	uint64_t suppressed;	/* findings beyond MAX_FINDINGS */
	uint64_t events, filtered, late;
	uint64_t lost_events, lost_markers;
	int tainted;		/* lost events, cut or malformed lines: only definitive imbalances count */
	uint64_t first_ts, last_ts;
	int have_ts;
};

void checker_init(struct checker *ck, const struct check_opts *o);
void checker_free(struct checker *ck);
void checker_event(struct checker *ck, const struct event *ev);
/* Input-level problems that make the log inconclusive. */
void checker_lost(struct checker *ck, uint64_t count, const char *why, long line);
void checker_taint(struct checker *ck, enum fkind kind, const char *why, long line);
void checker_finish(struct checker *ck);
/* 0 balanced, 1 imbalance, 2 inconclusive, for this log alone. */
int checker_verdict(const struct checker *ck);
/* Verdict of one device (for per-device reports). */
int device_verdict(const struct checker *ck, const char *dev);
int finding_counts(const struct checker *ck, const struct finding *f);

extern const char *const pairing_names[P__N];
extern const char *const fkind_names[F__N];
extern const char *const severity_names[];
const char *ioctl_name(unsigned int cmd);

#endif
