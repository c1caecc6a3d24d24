/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfiopm-check --timeline: one self-contained HTML page per run, a lane per
 * device (docs/vfiopm-check.md "Timeline"). Events are folded into at most
 * TL_BUCKETS time buckets as they stream by, the bucket width doubling as
 * the log grows, so memory and output stay bounded on any log.
 */
#ifndef VFIOPM_TIMELINE_H
#define VFIOPM_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"

#define TL_COLS		1200	/* pixel columns of the time axis */
#define TL_BUCKETS	(2 * TL_COLS)

enum tl_state { TS_D0, TS_D3HOT, TS_D3COLD, TS_LOW, TS__N };	/* TS_LOW: state not named */
enum tl_mark { MK_ENTRY, MK_ENTRY_WAKE, MK_EXIT_IOCTL, MK_EXIT_WAKE, MK_EXIT_DISABLE, MK_WAKE, MK__N };

struct tl_ref {			/* the first event behind a marker */
	long line;
	int pid;
	uint64_t ts;
	char comm[COMM_LEN];
};

struct tl_bucket {
	int umin, umax, ulast;	/* usage count; umin > umax: no event */
	uint64_t ns[TS__N];
	uint32_t marks[MK__N];
	struct tl_ref ref[MK__N];
};

struct tl_session {
	int pid;
	char comm[COMM_LEN];
	uint64_t start, end;	/* end 0: still open at the end of the log */
};

struct tl_dev {
	char name[DEV_LEN];
	struct tl_bucket *b;
	int state;		/* -1 unknown, TS_D0 active, TS_LOW suspended */
	uint64_t since;
	struct tl_session *sess;
	size_t nsess, sesscap, sess_dropped;
};

struct timeline {
	uint64_t t0, last, width;	/* width: ns per bucket */
	int started;
	int named_states;	/* some resume said where from */
	struct tl_dev *devs;
	size_t ndevs;
	uint64_t events;
};

/* check_opts.observe: every event the checker takes, in timestamp order */
void timeline_observe(void *tl, const struct event *ev);
/* dst = a then b (dst may be a): ranges, sums, the first event behind each marker */
void timeline_bucket_merge(struct tl_bucket *dst, const struct tl_bucket *a, const struct tl_bucket *b);
/* Close the open intervals at the log's end. */
void timeline_end(struct timeline *tl);
void timeline_free(struct timeline *tl);

struct input;
/* The page for inputs ins[0..n), their timelines tls[0..n); 0 or errno. */
int timeline_write(const char *path, const struct input *ins, const struct timeline *tls, size_t n);

#endif
