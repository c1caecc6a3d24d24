// SPDX-License-Identifier: GPL-2.0
#include "residency.h"

const char *const res_state_names[RES__N] = { "d3hot", "d3cold", "unknown" };

static enum res_state state_of(int dstate)
{
	if (dstate == DSTATE_D3HOT)
		return RES_D3HOT;
	if (dstate == DSTATE_D3COLD)
		return RES_D3COLD;
	return RES_UNKNOWN;
}

void residency_suspend(struct residency *r, const struct event *ev)
{
	r->suspends++;
	/* a second suspend with no resume between: the resume was lost */
	r->since = ev->ts ? ev->ts : 1;
}

void residency_resume(struct residency *r, const struct event *ev)
{
	enum res_state s = state_of(ev->from);

	r->resumes++;
	if (!r->since || ev->ts < r->since)
		return;		/* its suspend is before the log, or was lost */
	r->ns[s] += ev->ts - r->since;
	r->n[s]++;
	r->since = 0;
}

void residency_end(struct residency *r, uint64_t last_ts)
{
	r->open = r->since != 0;
	if (r->since && last_ts >= r->since)
		r->open_ns = last_ts - r->since;
	r->since = 0;
}

int residency_has_states(const struct residency *r)
{
	return r->n[RES_D3HOT] || r->n[RES_D3COLD];
}
