// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Leaks shown live (docs/vfiopm-trace.md, "Flags"), and references held
 * before tracing began. A per-task reference is a certain leak once the
 * session it belongs to closes: a close waits for every region access and
 * ioctl on the device to return, so none can still hold its reference. One
 * held longer than LEAK_LIVE_NS is a leak by age: the longest vfio calls
 * that hold one, a hot reset, take about a second; at exit, one held over a
 * second is. A later get of the same pairing by the same task (double-get)
 * is flagged on the event itself.
 */
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>

#include "report.h"
#include "vfiopm-rules.h"

#define LEAK_LIVE_NS	5000000000ULL
#define LEAK_EXIT_NS	1000000000ULL
#define MAX_LEAKS	256

/* a flagged reference: its slot and when the get was made */
struct leak {
	struct ref_key k;
	__u64 ts;
};
static struct leak leaks[MAX_LEAKS];
static int nleaks;

bool leak_flagged(const struct ref_key *k, __u64 ts)
{
	for (int i = 0; i < nleaks; i++)
		if (!memcmp(&leaks[i].k, k, sizeof(*k)) && leaks[i].ts == ts)
			return true;
	return false;
}

static void flag_leak(const struct ref_key *k, const struct ref_val *v, __u64 now, const char *why)
{
	char name[DEV_NAME_LEN], sitebuf[160];
	const char *site = site_of_ips(v->ips, SITE_DEPTH, sitebuf, sizeof(sitebuf));
	struct out o;

	if (nleaks < MAX_LEAKS)
		leaks[nleaks++] = (struct leak){ .k = *k, .ts = v->ts };
	dev_name_of(k->dev_id, name);
	flag_count(dev_user(name), "leak");
	if (!out_begin(&o, VFR_C_FLAG))
		return;
	if (o.j) {
		fprintf(o.j, "{\"type\":\"flag\",\"ts\":%llu,\"dev\":", (unsigned long long)now);
		json_str(o.j, name);
		fprintf(o.j, ",\"flag\":\"leak\",\"why\":");
		json_str(o.j, why);
		fprintf(o.j, ",\"pairing\":\"%s\",\"count\":%d,\"age_ns\":%llu,\"pid\":%d,\"comm\":",
			pairing_name((int)k->pairing), v->count, (unsigned long long)(now - v->ts),
			v->pid);
		json_str(o.j, v->comm);
		fprintf(o.j, ",\"site\":");
		json_str(o.j, site ? site : "?");
		json_stack_ips(o.j, v->ips, SITE_DEPTH);
		fprintf(o.j, "}\n");
	}
	if (o.h) {
		fprintf(o.h, "%-10.6f %-12s %-22s !! leak [%s] x%d held %.3f s by %s/%d, taken at %s: "
			"%s\n", now >= t0 ? (double)(now - t0) / 1e9 : 0.0, name, "reference",
			pairing_name((int)k->pairing), v->count, (double)(now - v->ts) / 1e9, v->comm,
			v->pid, site ? site : "?", why);
		if (env.stacks)
			print_stack_ips(o.h, v->ips, SITE_DEPTH, "        ");
	}
	out_end(&o, VFR_C_FLAG);
}

/* Per-task references of dev_id (0: every device) got before `before`, not flagged yet. */
static void walk(__u64 dev_id, __u64 before, __u64 now, const char *why)
{
	struct ref_key key, next, *prev = NULL;
	struct ref_val v;

	while (!bpf_map_get_next_key(fds.refs, prev, &next)) {
		key = next;
		prev = &key;
		if ((dev_id && key.dev_id != dev_id) || !rule_per_task((int)key.pairing) ||
		    bpf_map_lookup_elem(fds.refs, &key, &v) || v.count <= 0 || v.ts >= before ||
		    leak_flagged(&key, v.ts))
			continue;
		flag_leak(&key, &v, now, why);
	}
}

void leak_at_close(__u64 dev_id, __u64 close_ts)
{
	walk(dev_id, close_ts, close_ts, "still held when the session closed");
}

/* At exit: a per-task reference held over a second outlived its call. */
void leak_at_exit(__u64 dev_id)
{
	__u64 now = now_ns();

	walk(dev_id, now - LEAK_EXIT_NS, now, "held at exit, over 1 s");
}

void leak_scan(__u64 now)
{
	static __u64 last;

	if (now - last < 1000000000ULL)	/* a walk of the map per second */
		return;
	last = now;
	walk(0, now - LEAK_LIVE_NS, now, "held longer than 5 s");
}

static void report_held(const char *bdf, int low, const struct sysfs_state *ss)
{
	struct vfio_holder h[16];
	int nh = vfio_holders("/sys", "/proc", bdf, h, 16);
	int on = !strcmp(ss->control, "on"), explained = (nh > 0) + on;
	struct out o;

	if (low < 0 || nh < 0 || low <= explained)
		return;
	flag_count(dev_user(bdf), "held-before-trace");
	if (!out_begin(&o, VFR_C_FLAG))
		return;
	if (o.j) {
		fprintf(o.j, "{\"type\":\"flag\",\"flag\":\"held-before-trace\",\"dev\":\"%s\","
			"\"usage_count\":%d,\"explained\":%d,\"control\":", bdf, low, explained);
		json_str(o.j, ss->control);
		fprintf(o.j, ",\"open_by\":[");
		for (int i = 0; i < nh; i++) {
			fprintf(o.j, "%s{\"pid\":%d,\"comm\":", i ? "," : "", h[i].pid);
			json_str(o.j, h[i].comm);
			fprintf(o.j, "}");
		}
		fprintf(o.j, "]}\n");
	}
	if (o.h) {
		fprintf(o.h, "vfiopm-trace: %s !! held-before-trace: usage_count %d, but %d open vfio "
			"session(s)%s explain %d: %d reference(s) taken before tracing began, owner "
			"unknown", bdf, low, nh > 0 ? 1 : 0, on ? " and power/control=on" : "",
			explained, low - explained);
		for (int i = 0; i < nh; i++)
			fprintf(o.h, "%s%s/%d", i ? ", " : " (open by ", h[i].comm, h[i].pid);
		fprintf(o.h, "%s\n", nh > 0 ? ")" : "");
	}
	out_end(&o, VFR_C_FLAG);
}

/*
 * At start: a count above what the open vfio sessions and power/control
 * explain was taken before tracing began. The counts are sampled 20 times
 * over 200 ms and the lowest kept, since calls in flight add to them.
 */
void held_before_trace(char names[][DEV_NAME_LEN], int n)
{
	struct timespec pause = { 0, 10000000 };
	struct sysfs_state ss[MAX_DEVS];
	int low[MAX_DEVS];

	n = n < MAX_DEVS ? n : MAX_DEVS;
	for (int d = 0; d < n; d++)
		low[d] = -1;
	for (int i = 0; i < 20; i++) {
		for (int d = 0; d < n; d++) {
			read_sysfs_state("/sys", names[d], &ss[d]);
			if (ss[d].usage >= 0 && (low[d] < 0 || ss[d].usage < low[d]))
				low[d] = ss[d].usage;
		}
		nanosleep(&pause, NULL);
	}
	for (int d = 0; d < n; d++)
		report_held(names[d], low[d], &ss[d]);
}
