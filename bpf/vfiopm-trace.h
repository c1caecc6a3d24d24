/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Records shared by bpf/vfiopm-trace.bpf.c and tools/vfiopm-trace. */
#ifndef VFIOPM_TRACE_H
#define VFIOPM_TRACE_H

#include "vfiopm-contract.h"

#define DEV_NAME_LEN	16
#define COMM_LEN	16
#define MAX_STACK_DEPTH	32
#define HIST_SLOTS	32
/* frames kept for call sites on the hot path: a short walk is cheap */
#define SITE_DEPTH	8

enum ev_type {
	EV_DEVICE_PM_GET,	/* vfio:vfio_device_pm_get */
	EV_DEVICE_PM_PUT,
	EV_PCI_PM_GET,		/* vfio_pci:vfio_pci_pm_get */
	EV_PCI_PM_PUT,
	EV_RUNTIME_SUSPEND,
	EV_RUNTIME_RESUME,
	EV_LOW_POWER_ENTRY,
	EV_LOW_POWER_EXIT,
	EV_WAKE_SIGNAL,
	EV_SET_POWER_STATE,
	EV_RPM_GET,		/* rpm:* with RPM_GET_PUT, not explained by vfio */
	EV_RPM_PUT,
	EV_RPM_UNDERFLOW,	/* __pm_runtime_idle/suspend returned -EINVAL */
	EV_FEATURE_ENTRY,	/* stock: LOW_POWER_ENTRY[_WITH_WAKEUP] ioctl returned */
	EV_FEATURE_EXIT,	/* stock: LOW_POWER_EXIT ioctl returned */
	EV_ARMED_RESUME,	/* stock: resume callback with a wake eventfd armed */
	EV_MAX,
};

/* Flags on an event: each is an imbalance per docs/design.md, "Balance rules". */
#define FL_UNDERFLOW	(1u << 0) /* put at count 0 (ret -EINVAL or no move) */
#define FL_NO_GET	(1u << 1) /* put whose get was never seen */
#define FL_HELD_AT_SUSPEND (1u << 2) /* held while the device suspended: a reference dropped elsewhere */
#define FL_ENTRY_AT_CLOSE (1u << 3) /* last close while low power engaged */
#define FL_FOREIGN	(1u << 4) /* reference taken/dropped outside vfio */
#define FL_DOUBLE_GET	(1u << 5) /* get while the same owner holds one: the earlier one leaked */
#define FL_INCONCLUSIVE	(1u << 6) /* put of a get made before tracing began */

enum hist_kind {
	H_RESUME,	/* wake request (get) to get returned, device resumed */
	H_SUSPEND,	/* last put to the end of the driver's suspend */
	H_RESIDENCY,	/* suspended to resumed, in D3hot (or any state but D3cold) */
	H_WAKE_EXIT,	/* runtime resume to low-power exit (wake) */
	H_RESIDENCY_D3COLD,	/* suspended to resumed, in D3cold */
	H_RESUME_D3COLD,	/* as H_RESUME, for a resume from D3cold */
	H_MAX,
};

struct event {
	__u64 ts;
	__u64 dev_id;		/* struct device pointer: stable while bound */
	__u64 latency_ns;	/* resume/suspend latency or reference age */
	__s32 pid;		/* thread id */
	__s32 tgid;
	__s32 cpu;
	__s32 usage_count;	/* after the change, read from the device */
	__s32 ret;
	__u32 cmd;
	__s32 stack_id;		/* kernel stack id of a flagged call, else -1 */
	__u32 flags;
	__u8 type;
	__u8 op;
	__u8 reason;
	__u8 pairing;
	__u8 engaged;
	__u8 wake_armed;
	__u8 intx_masked;
	__u8 with_wakeup;
	__s8 from;
	__s8 to;
	__s8 dstate;		/* pdev->current_state at the event */
	__u8 source;
	char dev[DEV_NAME_LEN];
	char comm[COMM_LEN];
};

/* An outstanding get, memleak-style: key is the owner of the reference. */
struct ref_key {
	__u64 dev_id;
	__u64 owner;		/* thread id, or 0 for per-device pairings */
	__u32 pairing;
	__u32 pad;
};

struct ref_val {
	__u64 ts;
	__s32 pid;
	__s32 count;
	__u32 cmd;
	__u32 pad;
	char comm[COMM_LEN];
	__u64 ips[SITE_DEPTH];	/* where the get was taken */
};

struct dev_state {
	char name[DEV_NAME_LEN];
	__u64 ts_suspend;	/* last runtime suspend, 0 while active */
	__u64 ts_idle;		/* last put to 0 */
	__u64 ts_resume;	/* last runtime resume */
	__u64 ts_wake_req;	/* get that had to resume the device */
	__u64 lowpower_ns;	/* total time suspended */
	__u64 d3cold_ns;	/* of which in D3cold */
	__u64 d3cold_suspends;	/* suspends that reached D3cold */
	__u64 ts_last_suspend;	/* last runtime suspend, kept across resumes */
	__u64 session_mark;	/* a suspend found the session's reference held */
	__u64 config_puts;	/* sysfs config readers' puts (their get is invisible, F4) */
	__s32 model;
	__s32 pending_tid;	/* task whose get is counted by a resume */
	__s32 resumed_from;	/* the state the last resume left */
	__s32 dstate;
	__u8 engaged;
	__u8 wake_armed;
	__u8 suspended;
	__u8 watched;
	__u8 session_seen;	/* tracing saw an enable or register: per-task pairings are complete */
	__u64 suspends, resumes, wakes, entries, exits, gets, puts, flagged;
};

struct hist_key {
	__u64 dev_id;
	__u32 kind;
	__u32 pad;
};

struct hist {
	__u64 slots[HIST_SLOTS];
	__u64 sum_ns;		/* of every value counted (Prometheus _sum) */
};

/* Per-task record of an rpm get/put waiting for its vfio event. */
/*
 * Per task: whether it is a vfio task (one that made vfio events; its rpm
 * gets/puts are vfio's and skip the slow path), and the rpm get/put waiting
 * for its vfio event.
 */
struct rpm_stash {
	__u64 ts;		/* last rpm get while the device was suspended, or of the pending one */
	__u64 dev_id;
	__s32 kind;		/* STASH_GET, STASH_PUT, STASH_UNDERFLOW */
	__u8 pending;
	__u8 vfio_task;
	__u16 held;		/* per-task references this task holds on held_dev */
	__u64 held_dev;
	__u64 held_since;	/* get of the oldest of them */
	__u64 ev_dev;
	__u64 last_event;	/* this task's last vfio event on ev_dev */
	char comm[COMM_LEN];
	__u64 ips[SITE_DEPTH];
	__u8 resuming;		/* the get found the device suspended: it returns after the resume */
};

enum { STASH_GET, STASH_PUT, STASH_UNDERFLOW };

#endif
