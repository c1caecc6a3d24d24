/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* vfiopm-trace: state shared by the loader (vfiopm-trace.c) and its output (report.c). */
#ifndef VFIOPM_REPORT_H
#define VFIOPM_REPORT_H

#include "tool.h"

struct env {
	char devs[MAX_DEVS][DEV_NAME_LEN];
	int ndevs;
	int pid;
	bool json, summary, hist, stacks, fail_on_imbalance, verbose, verify;
	bool all, no_rw;	/* balanced region/ioctl get/put: show, hide */
	int interval, duration;
};
extern struct env env;

/* the BPF maps the output reads */
struct map_fds {
	int devs, refs, stash, stacks, hists, lost;
};
extern struct map_fds fds;

struct dev_user {
	char name[DEV_NAME_LEN];
	struct samples resume;	/* resume latencies seen in events */
	int foreign;		/* references taken (+) / dropped (-) outside vfio */
	unsigned long flagged;
};
extern struct dev_user dusers[MAX_DEVS];
extern int ndusers;

extern struct ksyms *ksyms;
extern bool full_mode;
extern bool stock_vfio_funcs;	/* the vfio feature/resume functions are attachable */
extern __u64 t0;		/* monotonic ns at start */
extern unsigned long nflagged;

__u64 now_ns(void);
int handle_event(void *ctx, void *data, size_t len);
/* rpm gets/puts no vfio event claimed within min_age_ns: made outside vfio */
void scan_foreign(__u64 min_age_ns, bool final);
void check_lost(void);
void print_start(void);
void print_summary(bool final);

#endif
