// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The floor of bench/vfiopm-trace.sh: an empty program on every hook that
 * vfiopm-trace attaches in full mode (progs[] of tools/vfiopm-trace/vfiopm-trace.c,
 * the entries with M_FULL), same section kind, same target, same program name,
 * so that the benchmark's tables join the two on the name. What such a
 * program costs per run (kernel.bpf_stats_enabled) is what attaching anything
 * to that hook costs: dispatch, trampoline, the stats' own clock reads.
 */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
#include <bpf/bpf_helpers.h>

#define EMPTY(kind, target, name) \
	SEC(kind "/" target) int name(void *ctx) { (void)ctx; return 0; }

EMPTY("tp_btf", "vfio_device_pm_get", vfio_device_pm_get)
EMPTY("tp_btf", "vfio_device_pm_put", vfio_device_pm_put)
EMPTY("tp_btf", "vfio_pci_pm_get", vfio_pci_pm_get)
EMPTY("tp_btf", "vfio_pci_pm_put", vfio_pci_pm_put)
EMPTY("tp_btf", "vfio_pci_runtime_suspend", vfio_pci_runtime_suspend)
EMPTY("tp_btf", "vfio_pci_runtime_resume", vfio_pci_runtime_resume)
EMPTY("tp_btf", "vfio_pci_low_power_entry", vfio_pci_low_power_entry)
EMPTY("tp_btf", "vfio_pci_low_power_exit", vfio_pci_low_power_exit)
EMPTY("tp_btf", "vfio_pci_wake_signal", vfio_pci_wake_signal)
EMPTY("tp_btf", "vfio_pci_set_power_state", vfio_pci_set_power_state)
EMPTY("tp_btf", "rpm_resume", rpm_resume)
EMPTY("tp_btf", "rpm_idle", rpm_idle)
EMPTY("tp_btf", "rpm_suspend", rpm_suspend)
EMPTY("tp_btf", "rpm_usage", rpm_usage)
EMPTY("fexit", "pci_pm_runtime_suspend", pci_pm_runtime_suspend)
EMPTY("fentry", "pci_pm_runtime_resume", pci_pm_runtime_resume_entry)
EMPTY("fexit", "__pm_runtime_idle", pm_runtime_idle_exit)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
