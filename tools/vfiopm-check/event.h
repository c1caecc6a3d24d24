/* SPDX-License-Identifier: GPL-2.0 */
/* One vfio runtime-PM trace event, as every parser produces it (docs/tracepoints.md). */
#ifndef VFIOPM_EVENT_H
#define VFIOPM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vfiopm-contract.h"	/* enum pm_op (OP_*), pm_reason (R_*), lp_source (SRC_*) */

enum ev_type {
	EV_NONE,
	EV_DEV_GET,	/* vfio:vfio_device_pm_get */
	EV_DEV_PUT,	/* vfio:vfio_device_pm_put */
	EV_PCI_GET,	/* vfio_pci:vfio_pci_pm_get */
	EV_PCI_PUT,	/* vfio_pci:vfio_pci_pm_put */
	EV_RT_SUSPEND,
	EV_RT_RESUME,
	EV_LP_ENTRY,
	EV_LP_EXIT,
	EV_WAKE,
	EV_SET_POWER,
	EV__N
};


#define COMM_LEN 24
#define DEV_LEN 40

struct event {
	uint64_t ts;		/* nanoseconds */
	uint64_t seq;		/* input order, breaks timestamp ties */
	long line;
	int cpu;
	int pid;
	char comm[COMM_LEN];
	char dev[DEV_LEN];
	enum ev_type type;
	int usage_count;
	unsigned int cmd;
	int op, reason, ret;
	int with_wakeup, source, engaged, wake_armed, intx_masked;
	int from, to;
};

/* What one input line turned out to be. */
enum line_kind {
	LK_META,	/* blank, comment, header, banner */
	LK_EVENT,	/* a vfio runtime-PM event, fields valid */
	LK_LOST,	/* lost-event marker; count in lost (0: unknown) */
	LK_OTHER,	/* a well-formed event of another tracepoint */
	LK_UNKNOWN_VFIO,/* a well-formed vfio* event this checker does not know */
	LK_BAD_VFIO,	/* one of our events with missing/invalid fields */
	LK_GARBAGE,	/* not a line of this format */
	LK__N
};

struct parsed {
	enum line_kind kind;
	uint64_t lost;
	const char *why;	/* for LK_BAD_VFIO / LK_GARBAGE / LK_LOST */
	struct event ev;
};

extern const char *const ev_names[EV__N];
extern const char *const op_names[OP__N];
extern const char *const reason_names[R__N];
extern const char *const source_names[SRC__N];

/* Event type from a name such as "vfio_pci_pm_get" (optionally "vfio_pci:" prefixed). */
enum ev_type ev_type_from_name(const char *s, size_t n);
int is_vfio_name(const char *s, size_t n);
/* Index of s in names[0..count), or -1; a decimal number is also accepted. */
int enum_from_name(const char *const *names, int count, const char *s, size_t n);
/* Text payload "DEV key=val ..." into ev; returns NULL or what is wrong. */
const char *parse_payload(struct event *ev, const char *s, size_t n);
/* One key/value (text or JSON); unknown keys are accepted. 0 or -1 (bad value). */
int event_set_field(struct event *ev, const char *key, size_t kn, const char *v, size_t vn);
/* Check required fields once all are parsed (shared by text and JSON). */
const char *event_validate(const struct event *ev);
void event_init(struct event *ev);
/* "DDDD:BB:DD.F" */
int valid_bdf(const char *s);
/* "123.456789" seconds, or an integer (taken as ns); end must be the ':' or end of token. */
int parse_ts(const char *s, size_t n, uint64_t *ns);
void fmt_ts(char *buf, size_t len, uint64_t ns);

#endif
