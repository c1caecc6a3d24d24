/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The event contract, written once (docs/design.md, "Event contract"): the
 * values and names of the kernel series' enums and the pairing each reason
 * belongs to. The BPF programs, vfiopm-trace and vfiopm-check expand these
 * lists; tests/host/05-repository.sh checks the Python and bpftrace copies
 * against them, and the patched-kernel VM tier checks them against the
 * kernel's own events/<system>/<event>/format files.
 *
 * Plain C, no includes: it builds for BPF and for the host.
 */
#ifndef VFIOPM_CONTRACT_H
#define VFIOPM_CONTRACT_H

/* enum vfio_pci_pm_op: X(value, name) */
#define VFIOPM_OPS(X)			\
	X(0, "resume_and_get")		\
	X(1, "get_noresume")		\
	X(2, "put")			\
	X(3, "put_noidle")

/*
 * Who owns a reference taken for a reason: X(enum suffix, name). The first
 * seven are vfio's; the rest are the tools' own.
 */
#define VFIOPM_PAIRINGS(X)		\
	X(IOCTL, "ioctl")		/* per task: one ioctl at a time */	\
	X(REGION, "region")		/* per task */				\
	X(SESSION, "session")		/* enable / disable */			\
	X(LOW_POWER, "low_power")	/* entry put_noidle / exit get_noresume */ \
	X(BINDING, "binding")		/* register put / unregister get */	\
	X(SRIOV, "sriov")							\
	X(RESET, "reset")							\
	X(FOREIGN, "foreign")		/* outside vfio */			\
	X(NONE, "none")								\
	X(TASK, "task")			/* stock mode: per task, reason unseen */

/* enum vfio_pci_pm_reason: X(value, name, pairing) */
#define VFIOPM_REASONS(X)			\
	X(0, "region_rw", REGION)		\
	X(1, "enable", SESSION)			\
	X(2, "disable", SESSION)		\
	X(3, "low_power_entry", LOW_POWER)	\
	X(4, "low_power_exit", LOW_POWER)	\
	X(5, "register", BINDING)		\
	X(6, "unregister", BINDING)		\
	X(7, "sriov", SRIOV)			\
	X(8, "reset", RESET)

/* enum vfio_pci_low_power_exit_source: X(value, name) */
#define VFIOPM_EXIT_SOURCES(X)		\
	X(0, "ioctl")			\
	X(1, "wake")			\
	X(2, "disable")

/* pci_power_t as the set_power_state event prints it: X(value, name) */
#define VFIOPM_DSTATES(X)		\
	X(0, "D0")			\
	X(1, "D1")			\
	X(2, "D2")			\
	X(3, "D3hot")			\
	X(4, "D3cold")			\
	X(5, "unknown")

#define VFIOPM_REASON_ENABLE		1
#define VFIOPM_REASON_DISABLE		2
#define VFIOPM_REASON_LOW_POWER_ENTRY	3
#define VFIOPM_REASON_REGISTER		5
#define VFIOPM_EINVAL			22

#define VFIOPM_PAIR_ENUM(suffix, name) PAIR_##suffix,
enum pairing { VFIOPM_PAIRINGS(VFIOPM_PAIR_ENUM) PAIR_MAX };
#undef VFIOPM_PAIR_ENUM

#endif
