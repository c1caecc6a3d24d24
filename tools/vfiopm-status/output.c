// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* vfiopm-status output: a block per device for a person, a JSON line per device for a program. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "status.h"

static const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

void print_human(const struct dev_status *st, const struct verdict *v)
{
	const struct pm_node *n = &st->self;

	char usage[16] = "?", kids[16] = "?";

	if (st->usage >= 0)
		snprintf(usage, sizeof(usage), "%d", st->usage);
	if (st->active_kids >= 0)
		snprintf(kids, sizeof(kids), "%d", st->active_kids);
	printf("%s  %s  %s, runtime %s, control=%s, usage %s, active children %s\n", n->bdf,
	       or_dash(n->driver), or_dash(n->power_state), or_dash(n->runtime_status),
	       or_dash(n->control), usage, kids);
	printf("  time active %lld ms, suspended %lld ms; d3cold_allowed=%d; D3cold %s\n",
	       st->active_ms, st->suspended_ms, st->d3cold_allowed,
	       v->d3cold_possible ? "possible" : "not possible");
	for (int i = 0; i < st->nparents; i++)
		printf("  parent   %s  %s  %s, runtime %s, control=%s, d3cold_allowed=%d%s\n",
		       st->parents[i].bdf, or_dash(st->parents[i].driver),
		       or_dash(st->parents[i].power_state), or_dash(st->parents[i].runtime_status),
		       or_dash(st->parents[i].control), st->parents[i].d3cold_allowed,
		       st->parents[i].d3cold_power ? ", D3cold power" : "");
	for (int i = 0; i < st->nsiblings; i++)
		printf("  sibling  %s  %s  runtime %s\n", st->siblings[i].bdf,
		       or_dash(st->siblings[i].driver), or_dash(st->siblings[i].runtime_status));
	for (int i = 0; i < st->nholders; i++)
		printf("  open by  pid %d %s (%s)\n", st->holders[i].pid, st->holders[i].comm,
		       st->holders[i].cdev ? "cdev" : "group");
	if (st->nholders < 0)
		printf("  open by  ? (procfs not readable)\n");
	printf("  verdict: %s\n", v->text);
	for (int i = 0; i < v->nreasons; i++)	/* the others than the verdict itself */
		if (strcmp(v->reasons[i], v->text))
			printf("    also: %s\n", v->reasons[i]);
}

/* "dev":...,"driver":...,"power_state":...,"runtime_status":...,"control":... */
static void node_fields(const struct pm_node *n)
{
	static const char *const keys[] = { "dev", "driver", "power_state", "runtime_status", "control" };
	const char *vals[] = { n->bdf, n->driver, n->power_state, n->runtime_status, n->control };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		printf("%s\"%s\":", i ? "," : "", keys[i]);
		json_str(stdout, vals[i]);
	}
}

static void node_json(const struct pm_node *n, bool with_power)
{
	printf("{");
	node_fields(n);
	if (with_power)
		printf(",\"d3cold_allowed\":%d,\"d3cold_power\":%s", n->d3cold_allowed,
		       n->d3cold_power ? "true" : "false");
	printf("}");
}

void print_json(const struct dev_status *st, const struct verdict *v)
{
	const struct pm_node *n = &st->self;

	printf("{\"type\":\"status\",");
	node_fields(n);
	printf(",\"runtime_usage\":%d,\"active_kids\":%d,\"runtime_active_ms\":%lld,"
	       "\"runtime_suspended_ms\":%lld,\"d3cold_allowed\":%d,\"d3cold_power\":%s,"
	       "\"d3cold_possible\":%s,\"can_sleep\":%s,\"verdict\":", st->usage, st->active_kids,
	       st->active_ms, st->suspended_ms, st->d3cold_allowed, n->d3cold_power ? "true" : "false",
	       v->d3cold_possible ? "true" : "false", v->can_sleep ? "true" : "false");
	json_str(stdout, v->text);
	printf(",\"reasons\":[");
	for (int i = 0; i < v->nreasons; i++) {
		printf("%s", i ? "," : "");
		json_str(stdout, v->reasons[i]);
	}
	printf("],\"parents\":[");
	for (int i = 0; i < st->nparents; i++) {
		printf("%s", i ? "," : "");
		node_json(&st->parents[i], true);
	}
	printf("],\"siblings\":[");
	for (int i = 0; i < st->nsiblings; i++) {
		printf("%s", i ? "," : "");
		node_json(&st->siblings[i], false);
	}
	printf("],\"open_by\":[");
	for (int i = 0; i < st->nholders; i++) {
		printf("%s{\"pid\":%d,\"comm\":", i ? "," : "", st->holders[i].pid);
		json_str(stdout, st->holders[i].comm);
		printf(",\"via\":\"%s\"}", st->holders[i].cdev ? "cdev" : "group");
	}
	printf("]}\n");
}
