/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The vfiopm record format (docs/record-format.md): what `vfiopm-trace -w`
 * writes and `vfiopm-check` and `vfiopm-trace -r` read. A header, then
 * length-prefixed records, then a trailer; little-endian, naturally aligned,
 * every record padded to 8 bytes. Readers skip record types they do not know.
 */
#ifndef VFIOPM_REC_H
#define VFIOPM_REC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VFR_MAGIC	"VFIOPMR\n"
#define VFR_VERSION	1
#define VFR_MAX_REC	65536	/* no record is longer: a longer length is corruption */

/*
 * Event types on the wire: the number is the format's, never reused or
 * reordered; new types are appended. vfiopm-trace's enum ev_type is checked
 * against it at compile time, and the names are the JSON "event" names.
 */
#define VFR_EVENT_TYPES(X) \
	X(DEVICE_PM_GET, 0, "vfio_device_pm_get") \
	X(DEVICE_PM_PUT, 1, "vfio_device_pm_put") \
	X(PCI_PM_GET, 2, "vfio_pci_pm_get") \
	X(PCI_PM_PUT, 3, "vfio_pci_pm_put") \
	X(RUNTIME_SUSPEND, 4, "vfio_pci_runtime_suspend") \
	X(RUNTIME_RESUME, 5, "vfio_pci_runtime_resume") \
	X(LOW_POWER_ENTRY, 6, "vfio_pci_low_power_entry") \
	X(LOW_POWER_EXIT, 7, "vfio_pci_low_power_exit") \
	X(WAKE_SIGNAL, 8, "vfio_pci_wake_signal") \
	X(SET_POWER_STATE, 9, "vfio_pci_set_power_state") \
	X(RPM_GET, 10, "rpm_get") \
	X(RPM_PUT, 11, "rpm_put") \
	X(RPM_UNDERFLOW, 12, "rpm_put_underflow") \
	X(FEATURE_ENTRY, 13, "low_power_entry_ioctl") \
	X(FEATURE_EXIT, 14, "low_power_exit_ioctl") \
	X(ARMED_RESUME, 15, "wake_armed_resume")

#define VFR_EV_ENUM(name, value, json) VFR_EV_##name = value,
enum vfr_ev_type { VFR_EVENT_TYPES(VFR_EV_ENUM) VFR_EV__N };
#undef VFR_EV_ENUM
extern const char *const vfr_ev_names[VFR_EV__N];

/* Stock mode's suspend and resume come from the PCI core (pairing "none"). */
#define VFR_STOCK_SUSPEND "pci_pm_runtime_suspend"
#define VFR_STOCK_RESUME "pci_pm_runtime_resume"

enum vfr_mode { VFR_MODE_FULL = 1, VFR_MODE_STOCK = 2 };
#define VFR_F_STACKS	(1u << 0)	/* flagged records carry their stacks */
#define VFR_F_NO_RW	(1u << 1)	/* balanced region/ioctl get/put left out */

struct vfr_device {		/* as sysfs showed it at start */
	char dev[16];
	char power_state[16];
	char runtime_status[16];
	char control[16];
	int32_t usage_count;	/* -1: not readable */
	uint32_t pad;
};

struct vfr_header {
	char magic[8];
	uint16_t version;
	uint16_t header_len;	/* bytes up to the first record: this, then ndevs devices */
	uint16_t event_size;	/* sizeof(struct vfr_event) of the writer */
	uint16_t ndevs;
	uint8_t mode;		/* enum vfr_mode */
	uint8_t flags;		/* VFR_F_* */
	uint8_t pad[6];
	uint64_t t0;		/* CLOCK_MONOTONIC ns at start: event ts are on this clock */
	uint64_t realtime_t0;	/* CLOCK_REALTIME ns at the same moment */
	char kernel[72];	/* uname release */
	char blind[256];	/* what this mode cannot see, "" in full mode */
};

enum vfr_rec_type {
	VFR_REC_EVENT = 1,	/* struct vfr_event, then site "\0", then stack "\0" */
	VFR_REC_TEXT = 2,	/* a derived record: its JSON line "\0", its live-view text "\0" */
	VFR_REC_LOST = 3,	/* struct vfr_lost */
	VFR_REC_TRAILER = 4,	/* struct vfr_trailer: the last record of a whole file */
};

/* Which view shows a text record (vfiopm-trace -r), as the live tool decides. */
enum vfr_class {
	VFR_C_ALWAYS = 0,	/* start, devices, summaries, outstanding references */
	VFR_C_FLAG = 1,		/* a finding */
	VFR_C_DETAIL = 2,	/* not with -s: the table header, foreign references */
	VFR_C_RW_NOTE = 3,	/* not with -s or -a */
	VFR_C_HIST = 4,		/* only with -H */
};

struct vfr_rec {
	uint32_t len;		/* the whole record, this included, a multiple of 8 */
	uint16_t type;		/* enum vfr_rec_type */
	uint16_t class;		/* enum vfr_class, VFR_REC_TEXT only */
};

struct vfr_event {		/* one ring-buffer event (bpf/vfiopm-trace.h struct event) */
	uint64_t ts, dev_id, latency_ns;
	int32_t pid, tgid, cpu, usage_count, ret;
	uint32_t cmd, flags;
	int32_t stack_id;
	uint8_t type, op, reason, pairing, engaged, wake_armed, intx_masked, with_wakeup;
	int8_t from, to, dstate;
	uint8_t source;
	char dev[16];
	char comm[16];
	uint32_t pad;
};

struct vfr_lost {
	uint64_t ts;
	uint64_t count;
};

struct vfr_trailer {
	uint64_t records;	/* before the trailer, header excluded */
	uint64_t events;
	uint64_t lost;
	uint64_t end_ts;
};

/* ---- writing ---- */

struct vfr_writer {
	FILE *f;
	uint64_t records, events, bytes;
	int err;		/* errno of the first failed write */
};

/* Header and device list; 0 or -1 (errno in w->err). */
int vfr_write_header(struct vfr_writer *w, const struct vfr_header *h,
		     const struct vfr_device *devs);
int vfr_write_event(struct vfr_writer *w, const struct vfr_event *e, const char *site,
		    const char *stack);
int vfr_write_text(struct vfr_writer *w, enum vfr_class c, const char *json, size_t jn,
		   const char *human, size_t hn);
int vfr_write_lost(struct vfr_writer *w, uint64_t ts, uint64_t count);
int vfr_write_trailer(struct vfr_writer *w, uint64_t lost, uint64_t end_ts);

/* ---- reading ---- */

struct vfr_reader {
	FILE *f;
	struct vfr_header h;
	struct vfr_device *devs;
	char *blk;		/* what was read of f; the current record is in it */
	size_t blk_pos, blk_len;
	uint64_t records, events, offset;
	int done;		/* the trailer was read */
	char err[160];		/* why reading stopped early, "" at a clean end */
};

/* The current record, from vfr_next(): valid until the next call. */
struct vfr_item {
	enum vfr_rec_type type;
	enum vfr_class class;
	const struct vfr_event *ev;
	const char *site, *stack;	/* VFR_REC_EVENT: "" when none */
	const char *json, *human;	/* VFR_REC_TEXT */
	const struct vfr_lost *lost;
	const struct vfr_trailer *trailer;
};

/* True if buf (n bytes from the start of a file) begins with the magic. */
int vfr_is_record(const void *buf, size_t n);
/*
 * Reads and checks the header of f, whose first `have` bytes are already in
 * pre (a format sniff). 0, or -1 with r->err set.
 */
int vfr_open(struct vfr_reader *r, FILE *f, const void *pre, size_t have);
/*
 * 1: a record in *it; 0: the trailer was read (it too is in *it), and
 * nothing follows; -1: the file is cut or corrupt (r->err says where and
 * why). Records of unknown types are skipped.
 */
int vfr_next(struct vfr_reader *r, struct vfr_item *it);
void vfr_close(struct vfr_reader *r);

#endif
