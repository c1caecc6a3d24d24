/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* vfiopm-trace userspace: formatting, statistics, symbols, sysfs, probing. */
#ifndef VFIOPM_TOOL_H
#define VFIOPM_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "json.h"		/* json_str, json_escape (../lib) */
#include "vfiopm-trace.h"

/* format.c */
const char *ev_name(int type);
const char *op_name(int op);
const char *reason_name(int reason);
const char *pairing_name(int pairing);
const char *source_name(int source);
const char *dstate_name(int state);
const char *hist_name(int kind);
void flags_str(__u32 flags, char *buf, size_t n);
/* the first flag set, but FL_INCONCLUSIVE: a finding's kind */
const char *flag_kind(__u32 flags);
/* One event as a JSON line (docs/json.md) or a live-view line; site may be NULL. */
int format_json(const struct event *e, const char *site, char *buf, size_t n);
int format_live(const struct event *e, const char *site, __u64 t0, char *buf, size_t n);

/* stats.c */
struct samples {
	__u64 *v;
	size_t n, cap;
};
int samples_add(struct samples *s, __u64 v);
/* p in 0..100, nearest-rank; 0 when empty */
__u64 samples_pct(const struct samples *s, double p);
__u64 samples_max(const struct samples *s);
void samples_free(struct samples *s);
void print_log2_hist(FILE *f, const __u64 *slots, int n, const char *unit);
/* percentile from a log2 histogram: lower bound of the slot */
__u64 hist_pct(const __u64 *slots, int n, double p);

/* ksyms.c */
struct ksyms;
struct ksyms *ksyms_load(const char *path);
void ksyms_free(struct ksyms *ks);
/* symbol containing addr, offset in *off; NULL if none */
const char *ksyms_find(const struct ksyms *ks, __u64 addr, __u64 *off);
/* the text of function name: [lo, hi); -1 if not in kallsyms */
int ksyms_range(const struct ksyms *ks, const char *name, __u64 *lo, __u64 *hi);
/* a frame of the tracing/runtime-PM machinery, not the caller we want */
bool frame_is_machinery(const char *sym);
/* the call site: first frame outside the machinery, as "sym+0xoff" */
int pick_site(const struct ksyms *ks, const __u64 *ips, int n, char *buf, size_t len);

/* sysfs.c; ../lib/pci-sysfs.c: pci_bdf_valid(), vfio_pci_devices() */
#include "pci-sysfs.h"
_Static_assert(PCI_BDF_LEN == DEV_NAME_LEN, "device names are BDFs");
#define MAX_DEVS 64
struct sysfs_state {
	char power_state[16];
	char runtime_status[16];
	char control[16];
	int usage;	/* -1 when power/runtime_usage is missing */
};
int read_sysfs_state(const char *root, const char *bdf, struct sysfs_state *st);

/* ../lib/vfio-holders.c: processes holding a vfio-pci device open */
#include "vfio-holders.h"

/* probe.c: what the running kernel lets us attach, by BTF and tracefs */
struct probe {
	bool btf;		/* /sys/kernel/btf/vmlinux */
	bool vfio;		/* vfio-pci present: driver or BTF */
	bool full;		/* the vfiopm tracepoints exist */
};
int probe_kernel(struct probe *p);
/* tp_btf target exists in vmlinux or module BTF */
bool probe_tp_btf(const char *tp);
/*
 * Function in BTF and traceable by available_filter_functions; PROBE_TRY
 * when no tracefs can be had to ask, and only a trial load can tell.
 */
enum probe_answer { PROBE_NO, PROBE_YES, PROBE_TRY };
enum probe_answer probe_func(const char *fn);
/* why the last probe_* said no */
extern const char *probe_why;
/* what the probe did about tracefs or could not ("" when it was mounted) */
extern const char *tracefs_note;

#endif
