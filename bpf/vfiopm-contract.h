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

/* enum vfio_pci_pm_op: X(value, name, id), id naming OP_<id> */
#define VFIOPM_OPS(X)					\
	X(0, "resume_and_get", RESUME_AND_GET)		\
	X(1, "get_noresume", GET_NORESUME)		\
	X(2, "put", PUT)				\
	X(3, "put_noidle", PUT_NOIDLE)

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

/* enum vfio_pci_pm_reason: X(value, name, id, pairing), id naming R_<id> */
#define VFIOPM_REASONS(X)						\
	X(0, "region_rw", REGION_RW, REGION)				\
	X(1, "enable", ENABLE, SESSION)					\
	X(2, "disable", DISABLE, SESSION)				\
	X(3, "low_power_entry", LOW_POWER_ENTRY, LOW_POWER)		\
	X(4, "low_power_exit", LOW_POWER_EXIT, LOW_POWER)		\
	X(5, "register", REGISTER, BINDING)				\
	X(6, "unregister", UNREGISTER, BINDING)				\
	X(7, "sriov", SRIOV, SRIOV)					\
	X(8, "reset", RESET, RESET)

/* enum vfio_pci_low_power_exit_source: X(value, name, id), id naming SRC_<id> */
#define VFIOPM_EXIT_SOURCES(X)		\
	X(0, "ioctl", IOCTL)		\
	X(1, "wake", WAKE)		\
	X(2, "disable", DISABLE)

/* pci_power_t as the set_power_state event prints it: X(value, name, id), DSTATE_<id> */
#define VFIOPM_DSTATES(X)		\
	X(0, "D0", D0)			\
	X(1, "D1", D1)			\
	X(2, "D2", D2)			\
	X(3, "D3hot", D3HOT)		\
	X(4, "D3cold", D3COLD)		\
	X(5, "unknown", UNKNOWN)

#define VFIOPM_EINVAL			22

/* The enums both tools use, from the lists above. */
#define VFIOPM_ENUM_OP(value, name, id) OP_##id = value,
#define VFIOPM_ENUM_REASON(value, name, id, pairing) R_##id = value,
#define VFIOPM_ENUM_SOURCE(value, name, id) SRC_##id = value,
#define VFIOPM_ENUM_DSTATE(value, name, id) DSTATE_##id = value,
#define VFIOPM_ENUM_PAIRING(suffix, name) PAIR_##suffix,
enum pm_op { VFIOPM_OPS(VFIOPM_ENUM_OP) OP__N };
enum pm_reason { VFIOPM_REASONS(VFIOPM_ENUM_REASON) R__N };
enum lp_source { VFIOPM_EXIT_SOURCES(VFIOPM_ENUM_SOURCE) SRC__N };
enum dstate { VFIOPM_DSTATES(VFIOPM_ENUM_DSTATE) };
enum pairing { VFIOPM_PAIRINGS(VFIOPM_ENUM_PAIRING) PAIR_MAX };
#undef VFIOPM_ENUM_OP
#undef VFIOPM_ENUM_REASON
#undef VFIOPM_ENUM_SOURCE
#undef VFIOPM_ENUM_DSTATE
#undef VFIOPM_ENUM_PAIRING

#endif
