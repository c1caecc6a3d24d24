// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The verdict on one device, from what gather() found (docs/vfiopm-status.md).
 * What explains the usage count: an open vfio session holds 1 until its last
 * close (a low-power ENTRY can only lower it to 0), power/control=on holds 1.
 * Anything above that was taken by someone else.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

static void reason(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nreasons == MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(v->reasons[v->nreasons++], REASON_LEN, fmt, ap);
	va_end(ap);
}

static void holders_text(const struct dev_status *st, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < st->nholders && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%spid %d %s", i ? ", " : "",
					st->holders[i].pid, st->holders[i].comm);
}

/* What keeps the device awake; each blocker is a reason. */
static void blockers(const struct dev_status *st, struct verdict *v)
{
	bool on = !strcmp(st->self.control, "on");
	int sessions = st->nholders > 0, unexplained;
	char who[120];

	if (on)
		reason(v, "kept awake: power/control=on");
	if (st->active_kids > 0)
		reason(v, "kept awake: %d active child device(s)", st->active_kids);
	if (st->usage < 0) {
		reason(v, "usage count unknown: the kernel lacks CONFIG_PM_ADVANCED_DEBUG "
		       "(no power/runtime_usage)");
		return;
	}
	holders_text(st, who, sizeof(who));
	unexplained = st->usage - sessions - on;
	if (sessions && st->usage - on >= 1)
		reason(v, "kept awake: the open vfio session (%s) has not entered low power "
		       "(usage count %d)", who, st->usage);
	if (unexplained > 0)
		reason(v, "kept awake: usage count %d, %d reference(s) not explained by any open "
		       "session%s", st->usage, unexplained, on ? " or power/control" : "");
}

/*
 * Whether the platform can cut the slot's power, and what stops it. Where
 * the power resources are a port's, every bridge from the device up to that
 * port must runtime suspend before firmware can turn them off.
 */
static void d3cold(const struct dev_status *st, struct verdict *v)
{
	int owner = st->self.d3cold_power ? -1 : st->nparents;	/* -1: the device's own */
	bool blocked = false;

	for (int i = 0; i < st->nparents && owner == st->nparents; i++)
		if (st->parents[i].d3cold_power)
			owner = i;
	if (owner == st->nparents)
		reason(v, "D3hot only: no power resources for D3cold on the slot or its ports");
	else if (st->d3cold_allowed == 0)
		reason(v, "D3hot only: d3cold_allowed=0");
	if (owner >= 0 && owner < st->nparents && st->parents[owner].d3cold_allowed == 0) {
		/* the kernel sets it only for a port with a PM capability */
		reason(v, "D3hot only: parent %s d3cold_allowed=0: the kernel takes the port to "
		       "D3hot, not to D3cold", st->parents[owner].bdf);
		blocked = true;
	}
	for (int i = 0; i < st->nparents; i++)
		if (!strcmp(st->parents[i].control, "on")) {
			bool blocks = i <= owner && owner < st->nparents;

			reason(v, "%sparent %s control=on keeps the slot powered",
			       blocks ? "D3hot only: " : "", st->parents[i].bdf);
			blocked |= blocks;
		}
	for (int i = 0; i < st->nsiblings; i++)
		if (!strcmp(st->siblings[i].runtime_status, "active")) {
			reason(v, "D3hot only: sibling %s (%s) is active: the slot stays powered while it is",
			       st->siblings[i].bdf,
			       *st->siblings[i].driver ? st->siblings[i].driver : "no driver");
			blocked = true;
		}
	v->d3cold_possible = owner < st->nparents && st->d3cold_allowed != 0 && !blocked;
}

void judge(const struct dev_status *st, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (strcmp(st->self.driver, "vfio-pci"))
		reason(v, "not bound to vfio-pci (driver: %s)", *st->self.driver ? st->self.driver : "none");
	blockers(st, v);
	v->can_sleep = v->nreasons == 0;
	d3cold(st, v);
	if (!v->can_sleep)
		snprintf(v->text, sizeof(v->text), "%s", v->reasons[0]);
	else if (v->d3cold_possible)
		snprintf(v->text, sizeof(v->text), "can reach D3cold");
	else
		snprintf(v->text, sizeof(v->text), "%s", v->reasons[0]);
	if (v->can_sleep && v->d3cold_possible && v->nreasons == 0)
		reason(v, "can reach D3cold");
}
