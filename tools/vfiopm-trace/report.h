/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* vfiopm-trace: state shared by the loader (vfiopm-trace.c) and its output (report.c). */
#ifndef VFIOPM_REPORT_H
#define VFIOPM_REPORT_H

#include "tool.h"
#include "vfiopm-rec.h"

struct bpf_object;

struct env {
	char devs[MAX_DEVS][DEV_NAME_LEN];
	int ndevs;
	int pid;
	bool json, summary, hist, stacks, fail_on_imbalance, verbose, verify;
	bool all, no_rw;	/* balanced region/ioctl get/put: show, hide */
	int interval, duration;
	const char *prom;	/* --prom FILE */
	const char *write;	/* -w FILE: the record file */
	const char *replay;	/* -r FILE */
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
extern __u64 lost_seen;	/* lost events reported so far */
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
void json_stack_ips(FILE *f, const __u64 *ips, int n);
void print_stack_ips(FILE *f, const __u64 *ips, int n, const char *indent);

/* out.c: a derived record goes to stdout as the view wants it, and to -w's file */
extern struct vfr_writer *recw;	/* NULL unless recording */
struct out {
	FILE *j, *h;		/* its JSON line and its live-view text; NULL: not wanted */
};
/* the view (-s, -a, -H) shows records of class c */
bool class_shown(enum vfr_class c);
/* false: nothing wants the record, skip it */
bool out_begin(struct out *o, enum vfr_class c);
void out_end(struct out *o, enum vfr_class c);

/* record.c: -w */
int record_open(const char *path);
/* the header: written once the devices are known, before any record */
int record_header(const struct vfr_device *devs, int n, const char *blind);
void record_event(const struct event *e, const char *site, const char *stack);
void record_lost(__u64 ts, __u64 count);
/* after every poll, as stdout is: a killed tracer loses at most one poll's events */
void record_flush(void);
void vfr_from_event(struct vfr_event *v, const struct event *e);
void event_from_vfr(struct event *e, const struct vfr_event *v);
/* the trailer; 0 or -1 (said on stderr) */
int record_close(__u64 lost);
/* replay.c: -r FILE; the exit status */
int replay(const char *path);
/* an event as the view shows it: JSON or live line, with its stack lines ("" none) */
bool event_shown(const struct event *e);
/* what an event adds to the per-device counts */
void event_account(const struct event *e);
void print_event(const struct event *e, const char *site, const char *stack);
void print_lost(__u64 ts, __u64 count);

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
/* the start records; -1 when the record file cannot take its header */
int print_start(void);
/* prom.c: FILE rewritten atomically; 0 or -1 (said on stderr) */
int write_prom(const char *path);
void print_summary(bool final);

#endif
