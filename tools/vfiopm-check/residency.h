/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time in runtime low power, per D-state, from the suspend and resume
 * events of one device. Information, never a verdict: a lost event only
 * makes an interval unknown (docs/design.md "Residency from logs").
 */
#ifndef VFIOPM_RESIDENCY_H
#define VFIOPM_RESIDENCY_H

#include <stdint.h>

#include "event.h"

/* Where a suspended interval is counted: the state it resumed from. */
enum res_state { RES_D3HOT, RES_D3COLD, RES_UNKNOWN, RES__N };

struct residency {
	uint64_t suspends, resumes;
	uint64_t ns[RES__N];		/* closed intervals: suspend to resume */
	uint64_t n[RES__N];
	uint64_t since;			/* open interval start, 0: none */
	uint64_t open_ns;		/* open at the end of the log */
	int open;
};

void residency_suspend(struct residency *r, const struct event *ev);
void residency_resume(struct residency *r, const struct event *ev);
/* Close the accounts at the log's last timestamp. */
void residency_end(struct residency *r, uint64_t last_ts);
/* Whether the log said which state any interval resumed from. */
int residency_has_states(const struct residency *r);

extern const char *const res_state_names[RES__N];

#endif
