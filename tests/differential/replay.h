/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The differential replay: one log, read by vfiopm-check's parsers, judged by
 * vfiopm-check and by vfiopm-trace's BPF core (run on the host). The two
 * halves are separate files because the tools' headers share names.
 */
#ifndef VFIOPM_REPLAY_H
#define VFIOPM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

enum rkind { RK_GET, RK_PUT, RK_SUSPEND, RK_LP_EXIT, RK_OTHER };

/* One vfio event, as both halves understand it. */
struct rrec {
	uint64_t ts;
	int pid;
	int dev;		/* index of the device in the log */
	enum rkind kind;
	int op, reason;		/* reason < 0: an ioctl's get/put */
	int ret, usage;
};

#define REPLAY_DEVS 16

/* replay_core.c: vfiopm-trace's core over the log's events */
struct core;
struct core *core_new(void);
void core_event(struct core *c, const struct rrec *r);
/* 1 imbalance, 0 balanced; what it found, comma-separated, in why */
int core_verdict(const struct core *c, char *why, size_t n);
void core_free(struct core *c);

#endif
