/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* vfiopm-status: what keeps a vfio-pci device awake, and can it reach D3cold. */
#ifndef VFIOPM_STATUS_H
#define VFIOPM_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#define BDF_LEN		16
#define WORD_LEN	24
#define MAX_CHAIN	8	/* parent bridges up to the root port */
#define MAX_SIBLINGS	8
#define MAX_HOLDERS	16
#define MAX_REASONS	8
#define REASON_LEN	200

struct pm_node {		/* one PCI function's runtime PM, from sysfs */
	char bdf[BDF_LEN];
	char driver[WORD_LEN];
	char power_state[WORD_LEN];
	char runtime_status[WORD_LEN];
	char control[WORD_LEN];
	bool d3cold_power;	/* firmware_node/power_resources_D3hot: the platform can cut power */
	int d3cold_allowed;	/* -1: no such file */
};

struct holder_info {
	int pid;
	bool cdev;
	char comm[WORD_LEN];
};

struct dev_status {
	struct pm_node self;
	int usage;		/* power/runtime_usage, -1 without CONFIG_PM_ADVANCED_DEBUG */
	int active_kids;	/* power/runtime_active_kids, -1 likewise */
	long long active_ms, suspended_ms;
	int d3cold_allowed;	/* -1: no such file */
	struct pm_node parents[MAX_CHAIN];	/* nearest first */
	int nparents;
	struct pm_node siblings[MAX_SIBLINGS];	/* other functions of the same slot */
	int nsiblings;
	struct holder_info holders[MAX_HOLDERS];
	int nholders;		/* -1: procfs unreadable */
};

/* gather.c: 0, or -1 when root/bus/pci/devices/BDF does not exist */
int gather(const char *root, const char *proc, const char *bdf, struct dev_status *st);

/* verdict.c: the judgement, a pure function of what was gathered */
struct verdict {
	bool can_sleep;		/* nothing keeps it awake */
	bool d3cold_possible;	/* the platform can put it in D3cold */
	char text[REASON_LEN];	/* one line: the first blocker, else what it can reach */
	char reasons[MAX_REASONS][REASON_LEN];
	int nreasons;
};
void judge(const struct dev_status *st, struct verdict *v);

#endif
