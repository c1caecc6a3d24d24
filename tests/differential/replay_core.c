// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The vfiopm-trace half of the differential replay: tests/sim.h per device. */
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"
#include "sim.h"

struct core {
	struct sim dev[REPLAY_DEVS];
	bool seen[REPLAY_DEVS];
	__u32 flags;		/* every flag raised, all devices */
	int leaks;		/* per-task and reset references open at the end */
};

struct core *core_new(void)
{
	struct core *c = calloc(1, sizeof(*c));

	if (!c) {
		perror("replay");
		exit(70);
	}
	return c;
}

void core_free(struct core *c)
{
	free(c);
}

void core_event(struct core *c, const struct rrec *r)
{
	struct sim *m;

	if (r->dev < 0 || r->dev >= REPLAY_DEVS)
		return;
	m = &c->dev[r->dev];
	if (!c->seen[r->dev]) {	/* no seed: a log has no sysfs to read */
		sim_start(m, r->ts, -1);
		c->seen[r->dev] = true;
	}
	switch (r->kind) {
	case RK_GET:
	case RK_PUT:
		c->flags |= sim_ref(m, r->ts, r->kind == RK_GET, r->op, r->reason, (__u32)r->pid,
				    r->ret, r->usage);
		break;
	case RK_SUSPEND:
		sim_suspend(m, r->ts);
		break;
	case RK_LP_EXIT:
		sim_low_power_exit(m);
		break;
	default:
		break;
	}
}

int core_verdict(const struct core *c, char *why, size_t n)
{
	static const struct { __u32 bit; const char *name; } names[] = {
		{ FL_UNDERFLOW, "underflow" }, { FL_NO_GET, "put-without-get" },
		{ FL_HELD_AT_SUSPEND, "held-at-suspend" }, { FL_ENTRY_AT_CLOSE, "entry-at-close" },
		{ FL_DOUBLE_GET, "double-get" },
	};
	int leaks = 0;
	size_t len = 0;

	why[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (c->flags & names[i].bit && len < n)
			len += (size_t)snprintf(why + len, n - len, "%s%s", len ? "," : "", names[i].name);
	for (int d = 0; d < REPLAY_DEVS; d++)
		leaks += c->seen[d] ? sim_outstanding(&c->dev[d], true) : 0;
	if (leaks && len < n)
		len += (size_t)snprintf(why + len, n - len, "%sleak", len ? "," : "");
	return len > 0;
}
