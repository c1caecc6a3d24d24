// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* vfiopm-status --prom: the snapshot as Prometheus metrics (docs/metrics.md), grouped per metric. */
#include <stdio.h>
#include <sys/utsname.h>

#include "prom.h"
#include "status.h"

static void per_device(FILE *f, enum metric_id m, const struct dev_status *st,
		       const struct verdict *v, int n)
{
	prom_header(f, m);
	for (int i = 0; i < n; i++) {
		const char *dev = st[i].self.bdf, *name = prom_name(m);

		switch (m) {
		case M_USAGE:
			if (st[i].usage >= 0)
				prom_sample(f, name, st[i].usage, "dev", dev, NULL);
			break;
		case M_POWER_STATE:
			prom_power_state(f, dev, st[i].self.power_state);
			break;
		case M_ACTIVE_SECONDS:	/* -1: the kernel does not expose it */
			if (st[i].active_ms >= 0)
				prom_sample(f, name, (double)st[i].active_ms / 1e3, "dev", dev, NULL);
			break;
		case M_SUSPENDED_SECONDS:
			if (st[i].suspended_ms >= 0)
				prom_sample(f, name, (double)st[i].suspended_ms / 1e3, "dev", dev, NULL);
			break;
		case M_CAN_SLEEP:
			prom_sample(f, name, v[i].can_sleep, "dev", dev, NULL);
			break;
		case M_D3COLD_POSSIBLE:
			prom_sample(f, name, v[i].d3cold_possible, "dev", dev, NULL);
			break;
		case M_OPEN_SESSIONS:
			if (st[i].nholders >= 0)
				prom_sample(f, name, st[i].nholders, "dev", dev, NULL);
			break;
		default:
			break;
		}
	}
}

void print_prom(const struct dev_status *st, const struct verdict *v, int n)
{
	static const enum metric_id ms[] = {
		M_USAGE, M_POWER_STATE, M_ACTIVE_SECONDS, M_SUSPENDED_SECONDS,
		M_CAN_SLEEP, M_D3COLD_POSSIBLE, M_OPEN_SESSIONS,
	};
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	prom_header(stdout, M_INFO);
	prom_sample(stdout, prom_name(M_INFO), 1, "tool", "vfiopm-status", "mode", "sysfs",
		    "kernel", u.release, NULL);
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		per_device(stdout, ms[i], st, v, n);
}
