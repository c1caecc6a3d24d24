/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal kernel type declarations for CO-RE: only the fields vfiopm-trace
 * reads. libbpf relocates every access against the running kernel's BTF, so
 * the layout here does not matter, only the names.
 */
#ifndef VFIOPM_CORE_H
#define VFIOPM_CORE_H

typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

#define BPF_F_FAST_STACK_CMP (1ULL << 9)
#define BPF_RB_NO_WAKEUP (1ULL << 0)
#define BPF_RB_FORCE_WAKEUP (1ULL << 1)
#define BPF_RB_AVAIL_DATA 0

typedef struct {
	int counter;
} __attribute__((preserve_access_index)) atomic_t;

enum rpm_status {
	RPM_INVALID = -1,
	RPM_ACTIVE = 0,
	RPM_RESUMING,
	RPM_SUSPENDED,
	RPM_SUSPENDING,
};

struct kobject {
	const char *name;
} __attribute__((preserve_access_index));

struct device_driver {
	const char *name;
} __attribute__((preserve_access_index));

struct dev_pm_info {
	atomic_t usage_count;
	enum rpm_status runtime_status;
} __attribute__((preserve_access_index));

struct device {
	struct kobject kobj;
	struct device_driver *driver;
	void *driver_data;
	struct dev_pm_info power;
} __attribute__((preserve_access_index));

struct pci_dev {
	struct device dev;
	int current_state;
} __attribute__((preserve_access_index));

struct vfio_device {
	struct device *dev;
} __attribute__((preserve_access_index));

struct vfio_pci_core_device {
	struct pci_dev *pdev;
	bool pm_intx_masked;
	bool pm_runtime_engaged;
	void *pm_wake_eventfd_ctx;
} __attribute__((preserve_access_index));

/* What bpf_tracing.h needs for BPF_PROG on x86-64. */
struct pt_regs {
	long unsigned int r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	long unsigned int ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
} __attribute__((preserve_access_index));

#endif
