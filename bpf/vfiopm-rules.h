/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The balance rules both tools apply, as pure functions of scalars: the BPF
 * programs (through vfiopm-balance.h) and vfiopm-check (balance.c) call
 * these and nothing else to decide a finding. Why each rule holds under
 * concurrency and lost events: docs/design.md, "Balance rules"; the facts
 * F1-F6 cited here are listed there.
 */
#ifndef VFIOPM_RULES_H
#define VFIOPM_RULES_H

#include "vfiopm-contract.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* The pairing a vfio_pci_pm_get/put reason belongs to (PAIR_NONE: unknown). */
static __always_inline int rule_reason_pairing(int reason)
{
#define VFIOPM_REASON_CASE(value, name, id, pairing) case value: return PAIR_##pairing;
	switch (reason) {
	VFIOPM_REASONS(VFIOPM_REASON_CASE)
	}
#undef VFIOPM_REASON_CASE
	return PAIR_NONE;
}

/* Owned by the calling thread; the others are the device's. */
static __always_inline int rule_per_task(int pairing)
{
	return pairing == PAIR_IOCTL || pairing == PAIR_REGION;
}

/* Inverted pairings start with the put; their get restores it. */
static __always_inline int rule_inverted(int pairing)
{
	return pairing == PAIR_LOW_POWER || pairing == PAIR_BINDING;
}

/*
 * A put the kernel itself refused: pm_runtime_put() returning -EINVAL, or
 * the low-power ENTRY's put_noidle leaving the count at 0. The ENTRY runs
 * inside the caller's own ioctl, whose reference is held until after the
 * event, so a correct put_noidle leaves at least 1 whatever other CPUs do.
 */
static __always_inline int rule_put_underflows(int op, int reason, int ret, int usage_after)
{
	if (ret == -VFIOPM_EINVAL)
		return 1;
	return op == OP_PUT_NOIDLE && reason == R_LOW_POWER_ENTRY && usage_after == 0;
}

/*
 * Held at suspend. A runtime suspend runs only after the PM core saw the
 * count at 0 (F6), and in a correct kernel the count is at least the number
 * of per-task references really held. So every per-task reference whose get
 * was logged before the suspend must have its put already made and not yet
 * logged (F2); that put is the owner's very next event, since a thread logs
 * its put right after the decrement. Any other event of the owner first
 * proves the reference was held while the count was 0: something dropped a
 * reference it did not own.
 *
 *   held_across: a per-task reference of the owner was got before a suspend
 *                that came after (each tool tells it its own way: vfiopm-trace
 *                by times, vfiopm-check by marking the references at the suspend)
 *   releases:    this event is a per-task put of that owner
 */
static __always_inline int rule_held_at_suspend(int held_across, int releases)
{
	return held_across && !releases;
}

/*
 * The session's reference at a suspend: vfio holds it until the last close,
 * and only an engaged low-power ENTRY cancels it (its put_noidle is logged
 * under memory_lock, before the ioctl's own put can let the device idle, F3).
 * Held and not cancelled at a suspend, its put must be in flight: the closing
 * thread's disable put is then that thread's first event since the suspend,
 * and since the first such suspend if the device suspends again meanwhile.
 */
static __always_inline int rule_session_must_close(long session_held, long lp_engaged)
{
	return session_held > 0 && lp_engaged <= 0;
}

/* marked: rule_session_must_close held at a suspend; closer_busy: the closing thread made events since */
static __always_inline int rule_session_held_at_suspend(int marked, int closer_busy)
{
	return marked && closer_busy;
}

/*
 * A reference taken outside vfio, by a task that is not in a vfio call, is
 * information while it is short: a monitoring daemon's config read holds it
 * for microseconds. Held longer than this, or at the end, it is a finding.
 */
#define RULE_FOREIGN_HOLD_NS	1000000000ULL

#endif
