/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* vfiopm-trace: state shared by the loader (vfiopm-trace.c) and its output (report.c). */
#ifndef VFIOPM_REPORT_H
#define VFIOPM_REPORT_H

#include "tool.h"

struct bpf_object;

struct env {
	char devs[MAX_DEVS][DEV_NAME_LEN];
	int ndevs;
	int pid;
	bool json, summary, hist, stacks, fail_on_imbalance, verbose, verify;
	bool all, no_rw;	/* balanced region/ioctl get/put: show, hide */
	int interval, duration;
	const char *prom;	/* --prom FILE */
};
extern struct env env;

/* the BPF maps the output reads */
struct map_fds {
	int devs, refs, stash, stacks, hists, lost;
};
extern struct map_fds fds;

#define MAX_FLAG_KINDS 12

struct dev_user {
	char name[DEV_NAME_LEN];
	struct samples resume;	/* resume latencies seen in events */
	unsigned long foreign_gets, foreign_puts;	/* seen outside vfio */
	bool count_finding;	/* an underflow or held-at-suspend was flagged */
	unsigned long flagged;
	struct { const char *kind; unsigned long n; } flags_by[MAX_FLAG_KINDS];
	int nflag_kinds;
	unsigned long entries_by[2];	/* plain, with wakeup (accepted) */
	unsigned long exits_by[SRC__N];
};
extern struct dev_user dusers[MAX_DEVS];
extern int ndusers;

extern struct ksyms *ksyms;
extern bool full_mode;
extern bool stock_vfio_funcs;	/* the vfio feature/resume functions are attachable */
extern __u64 t0;		/* monotonic ns at start */
extern unsigned long nflagged;
extern struct bpf_object *bpf_obj;

__u64 now_ns(void);
int handle_event(void *ctx, void *data, size_t len);
/* rpm gets/puts no vfio event claimed within min_age_ns: made outside vfio */
void scan_foreign(__u64 min_age_ns, bool final);
void check_lost(void);
struct dev_user *dev_user(const char *name);
/* one flagged finding of this kind (a static string) on the device */
void flag_count(struct dev_user *du, const char *kind);
const char *dev_name_of(__u64 dev_id, char *buf);
const char *site_of_ips(const __u64 *ips, int n, char *buf, size_t len);
void json_stack_ips(const __u64 *ips, int n);
void print_stack_ips(const __u64 *ips, int n, const char *indent);

/* leaks.c: leaks shown live, references held before tracing began */
bool leak_flagged(const struct ref_key *k, __u64 ts);
void leak_at_close(__u64 dev_id, __u64 close_ts);
void leak_at_exit(__u64 dev_id);
void leak_scan(__u64 now);
void held_before_trace(char names[][DEV_NAME_LEN], int n);

/* foreign.c: references taken and dropped outside vfio */
void foreign_seen(__u32 tid, const struct rpm_stash *st);
void foreign_age_check(__u64 now, bool final);
void foreign_count_finding(const char *dev);
int foreign_held(const char *dev);
void print_start(void);
/* prom.c: FILE rewritten atomically; 0 or -1 (said on stderr) */
int write_prom(const char *path);
void print_summary(bool final);

#endif
