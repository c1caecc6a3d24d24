// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfiopm-trace output: events as they arrive, references made outside vfio,
 * lost events, outstanding references, the summary and histograms.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "report.h"

struct map_fds fds;

__u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

struct ksyms *ksyms;
bool full_mode;
bool stock_vfio_funcs;	/* the vfio feature/resume functions are attachable */
__u64 t0;		/* monotonic ns at start */
__u64 lost_seen;
unsigned long nflagged;

struct dev_user dusers[MAX_DEVS];
int ndusers;

struct dev_user *dev_user(const char *name)
{
	for (int i = 0; i < ndusers; i++)
		if (!strncmp(dusers[i].name, name, DEV_NAME_LEN))
			return &dusers[i];
	if (ndusers == MAX_DEVS)
		return &dusers[MAX_DEVS - 1];
	snprintf(dusers[ndusers].name, DEV_NAME_LEN, "%.15s", name);
	return &dusers[ndusers++];
}

static int stack_ips(int stack_id, __u64 *ips)
{
	memset(ips, 0, MAX_STACK_DEPTH * sizeof(*ips));
	if (stack_id < 0)
		return -1;
	return bpf_map_lookup_elem(fds.stacks, &stack_id, ips);
}

/* Modules loaded after start are not in our copy of kallsyms yet. */
static bool ksyms_stale(const __u64 *ips)
{
	for (int i = 0; i < MAX_STACK_DEPTH && ips[i]; i++) {
		__u64 off;

		if (!ksyms_find(ksyms, ips[i], &off) || off >= 0x100000)
			return true;
	}
	return false;
}

static void ksyms_refresh(const __u64 *ips)
{
	static __u64 last;
	struct ksyms *ks;

	if (!ksyms_stale(ips) || now_ns() - last < 200000000ULL)
		return;
	last = now_ns();
	ks = ksyms_load("/proc/kallsyms");
	if (ks) {
		ksyms_free(ksyms);
		ksyms = ks;
	}
}

const char *site_of_ips(const __u64 *ips, int n, char *buf, size_t len)
{
	__u64 all[MAX_STACK_DEPTH] = {};

	if (!ips[0])
		return NULL;
	memcpy(all, ips, (size_t)n * sizeof(*ips));
	ksyms_refresh(all);
	pick_site(ksyms, all, n, buf, len);
	return buf;
}

static const char *site_of(int stack_id, char *buf, size_t n)
{
	__u64 ips[MAX_STACK_DEPTH];

	if (stack_ips(stack_id, ips))
		return NULL;
	return site_of_ips(ips, MAX_STACK_DEPTH, buf, n);
}

/* ,"stack":[...] of a flagged record, with --stacks */
void json_stack_ips(const __u64 *ips, int n)
{
	__u64 off;
	char buf[160];

	if (!env.stacks || !ips[0])
		return;
	printf(",\"stack\":[");
	for (int i = 0; i < n && ips[i]; i++) {
		const char *sym = ksyms_find(ksyms, ips[i], &off);

		if (sym)
			snprintf(buf, sizeof(buf), "%s+0x%llx", sym, (unsigned long long)off);
		else
			snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ips[i]);
		printf("%s", i ? "," : "");
		json_str(stdout, buf);
	}
	printf("]");
}

static void json_stack(int stack_id)
{
	__u64 ips[MAX_STACK_DEPTH];

	if (!stack_ips(stack_id, ips))
		json_stack_ips(ips, MAX_STACK_DEPTH);
}

void print_stack_ips(const __u64 *ips, int n, const char *indent)
{
	__u64 off;

	if (!ips[0]) {
		printf("%s[stack unavailable]\n", indent);
		return;
	}
	for (int i = 0; i < n && ips[i]; i++) {
		const char *sym = ksyms_find(ksyms, ips[i], &off);

		if (sym)
			printf("%s%s+0x%llx\n", indent, sym, (unsigned long long)off);
		else
			printf("%s0x%llx\n", indent, (unsigned long long)ips[i]);
	}
}

static void print_stack(int stack_id, const char *indent)
{
	__u64 ips[MAX_STACK_DEPTH] = {};

	stack_ips(stack_id, ips);
	print_stack_ips(ips, MAX_STACK_DEPTH, indent);
}

void flag_count(struct dev_user *du, const char *kind)
{
	int i;

	nflagged++;
	du->flagged++;
	for (i = 0; i < du->nflag_kinds && strcmp(du->flags_by[i].kind, kind); i++)
		;
	if (i == du->nflag_kinds) {
		if (i == MAX_FLAG_KINDS)
			i--;	/* more kinds than the tool has: the last slot takes them */
		else
			du->flags_by[du->nflag_kinds++].kind = kind;
	}
	du->flags_by[i].n++;
}

static bool is_flag(__u32 flags)
{
	return flags & ~FL_INCONCLUSIVE;
}

int handle_event(void *ctx, void *data, size_t len)
{
	const struct event *e = data;
	struct dev_user *du = dev_user(e->dev);
	char line[1024], sitebuf[160];
	const char *site = NULL;

	(void)ctx;
	if (len < sizeof(*e))
		return 0;
	if (e->type == EV_DEVICE_PM_GET || e->type == EV_PCI_PM_GET) {
		if (e->latency_ns)
			samples_add(&du->resume, e->latency_ns);
	}
	if (e->type == EV_LOW_POWER_ENTRY && e->ret == 0)
		du->entries_by[!!e->with_wakeup]++;
	if (e->type == EV_LOW_POWER_EXIT && e->source < SRC__N)
		du->exits_by[e->source]++;
	if (is_flag(e->flags)) {
		flag_count(du, flag_kind(e->flags));
		site = site_of(e->stack_id, sitebuf, sizeof(sitebuf));
	}
	if (e->flags & (FL_UNDERFLOW | FL_HELD_AT_SUSPEND))
		foreign_count_finding(e->dev);
	if (e->type == EV_PCI_PM_PUT && e->reason == R_DISABLE)
		leak_at_close(e->dev_id, e->ts);
	if (env.summary && !is_flag(e->flags))
		return 0;
	if (env.json) {
		format_json(e, site, line, sizeof(line));
		if (is_flag(e->flags) && env.stacks) {
			line[strlen(line) - 1] = 0;	/* reopen the object for "stack" */
			fputs(line, stdout);
			json_stack(e->stack_id);
			puts("}");
			return 0;
		}
	} else {
		format_live(e, site, t0, line, sizeof(line));
	}
	puts(line);
	if (env.stacks && is_flag(e->flags) && !env.json)
		print_stack(e->stack_id, "        ");
	return 0;
}

const char *dev_name_of(__u64 dev_id, char *buf)
{
	struct dev_state s;

	if (bpf_map_lookup_elem(fds.devs, &dev_id, &s))
		snprintf(buf, DEV_NAME_LEN, "?");
	else
		memcpy(buf, s.name, DEV_NAME_LEN);
	buf[DEV_NAME_LEN - 1] = 0;
	return buf;
}

/*
 * When the vfio event of an rpm get/put is due. It follows within
 * microseconds, except for a get that has to resume the device: that one
 * returns only after the resume, which takes tens of milliseconds under
 * emulation and more behind a port that must first leave D3cold (its link
 * takes 100 ms). Such a get is due from the resume on, and not at all while
 * the device is still suspended (0), unless tracing is ending. Whether it
 * had to resume is the kernel's runtime_status at the get (st->resuming),
 * not this tool's model, which knows nothing of a device suspended before
 * tracing began.
 */
static __u64 claim_due(const struct rpm_stash *st, bool final)
{
	struct dev_state d;

	if (st->kind != STASH_GET || bpf_map_lookup_elem(fds.devs, &st->dev_id, &d))
		return st->ts;
	if (final)
		return d.ts_resume > st->ts ? d.ts_resume : st->ts;
	if (d.suspended || (st->resuming && d.ts_resume <= st->ts))
		return 0;
	return d.ts_resume > st->ts ? d.ts_resume : st->ts;
}

/*
 * rpm gets/puts that no vfio event claimed within min_age_ns of being due
 * were made outside vfio. Only the BPF programs write the stash: a write
 * back from here would race them and undo a claim, so what was reported is
 * remembered here, by task and time.
 */
#define REPORTED 512
static struct { __u32 tid; __u64 ts; } reported[REPORTED];
static unsigned int nreported;

static bool was_reported(__u32 tid, __u64 ts)
{
	for (unsigned int i = 0; i < REPORTED && i < nreported; i++)
		if (reported[i].tid == tid && reported[i].ts == ts)
			return true;
	return false;
}

void scan_foreign(__u64 min_age_ns, bool final)
{
	int fd = fds.stash;
	__u32 key, next, *prev = NULL;
	struct rpm_stash st;
	__u64 now = now_ns(), due;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &st) || !st.pending || was_reported(key, st.ts))
			continue;
		due = claim_due(&st, final);
		if (!due || now - due < min_age_ns)
			continue;
		reported[nreported++ % REPORTED] = (typeof(reported[0])){ key, st.ts };
		foreign_seen(key, &st);
	}
	foreign_age_check(now, final);
}

struct bpf_object *bpf_obj;	/* for the programs' run statistics */

/*
 * Program runs the kernel skipped because the program was already running
 * on that CPU (an rpm event from an interrupt during another): as lost as
 * an event the ring buffer had no room for.
 */
static __u64 recursion_misses(void)
{
	struct bpf_program *p;
	__u64 n = 0;

	bpf_object__for_each_program(p, bpf_obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

void check_lost(void)
{
	int ncpu = libbpf_num_possible_cpus(), zero = 0;
	__u64 vals[ncpu > 0 ? ncpu : 1], total = 0;

	if (ncpu <= 0 || bpf_map_lookup_elem(fds.lost, &zero, vals))
		return;
	for (int i = 0; i < ncpu; i++)
		total += vals[i];
	if (bpf_obj)
		total += recursion_misses();
	if (total == lost_seen)
		return;
	if (env.json)
		printf("{\"type\":\"lost\",\"ts\":%llu,\"count\":%llu}\n",
		       (unsigned long long)now_ns(), (unsigned long long)(total - lost_seen));
	else
		printf("LOST %llu events (ring buffer full, or a program skipped on re-entry): "
		       "the run is inconclusive\n", (unsigned long long)(total - lost_seen));
	lost_seen = total;
}

/*
 * Stock mode pairs per task: a reference taken in one thread may be dropped in
 * another (open and close), so a device's task slots count only as far as
 * their sum is positive.
 */
static int task_refs_net(__u64 dev_id)
{
	struct ref_key key, next, *prev = NULL;
	struct ref_val v;
	int net = 0;

	while (!bpf_map_get_next_key(fds.refs, prev, &next)) {
		key = next;
		prev = &key;
		if (key.dev_id == dev_id && key.pairing == PAIR_TASK &&
		    !bpf_map_lookup_elem(fds.refs, &key, &v))
			net += v.count;
	}
	return net;
}

/*
 * Outstanding references, counted; with report, listed, except those already
 * flagged as leaks (leaks.c): their flag record names them.
 */
static int dev_outstanding(__u64 dev_id, bool report)
{
	/* only stock mode has task slots: spare full mode a second walk of the map */
	int fd = fds.refs, n = 0, task_net = full_mode ? 0 : task_refs_net(dev_id);
	struct ref_key key, next, *prev = NULL;
	struct ref_val v;
	__u64 now = now_ns();

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		char name[DEV_NAME_LEN], sitebuf[160];
		const char *site;

		key = next;
		prev = &key;
		if (key.dev_id != dev_id || bpf_map_lookup_elem(fd, &key, &v) || v.count <= 0)
			continue;
		if (key.pairing == PAIR_TASK) {
			if (task_net <= 0)
				continue;
			if (v.count > task_net)
				v.count = task_net;
			task_net -= v.count;
		}
		n += v.count;
		if (!report || leak_flagged(&key, v.ts))
			continue;
		site = site_of_ips(v.ips, SITE_DEPTH, sitebuf, sizeof(sitebuf));
		dev_name_of(key.dev_id, name);
		if (env.json) {
			printf("{\"type\":\"outstanding\",\"dev\":");
			json_str(stdout, name);
			printf(",\"pairing\":\"%s\",\"count\":%d,\"age_ns\":%llu,\"pid\":%d,\"comm\":",
			       pairing_name(key.pairing), v.count,
			       (unsigned long long)(now - v.ts), v.pid);
			json_str(stdout, v.comm);
			printf(",\"site\":");
			json_str(stdout, site ? site : "?");
			printf("}\n");
		} else {
			printf("  outstanding: %s reference x%d held %.3f s by %s/%d, taken at %s\n",
			       pairing_name(key.pairing), v.count, (double)(now - v.ts) / 1e9, v.comm,
			       v.pid, site ? site : "?");
		}
	}
	return n;
}

static void print_hists(__u64 dev_id, const char *name)
{
	int fd = fds.hists;

	for (int k = 0; k < H_MAX; k++) {
		struct hist_key key = { .dev_id = dev_id, .kind = (__u32)k };
		struct hist h;

		if (bpf_map_lookup_elem(fd, &key, &h))
			continue;
		if (env.json) {
			printf("{\"type\":\"hist\",\"dev\":");
			json_str(stdout, name);
			printf(",\"kind\":\"%s\",\"unit\":\"usecs\",\"log2_slots\":[", hist_name(k));
			for (int i = 0; i < HIST_SLOTS; i++)
				printf("%s%llu", i ? "," : "", (unsigned long long)h.slots[i]);
			printf("]}\n");
		} else {
			printf("\n%s %s:\n", name, hist_name(k));
			print_log2_hist(stdout, h.slots, HIST_SLOTS, "usecs");
		}
	}
}

/* End-of-trace checks and the per-device table. */
void print_summary(bool final)
{
	int fd = fds.devs;
	__u64 key, next, *prev = NULL, now = now_ns(), elapsed = now - t0;
	struct dev_state s;

	if (final)
		scan_foreign(10000000ULL, true);
	check_lost();
	if (!env.json)
		printf("\n%-12s %8s %8s %7s %7s %9s %9s %9s %6s %7s %6s %9s %9s %5s %7s\n",
		       "DEVICE", "SUSPENDS", "RESUMES", "LOWPWR%", "D3COLD%", "RES_P50us", "RES_P99us",
		       "RES_MAXus", "WAKES", "ENTRIES", "EXITS", "GETS", "PUTS", "REFS", "FLAGGED");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct sysfs_state ss;
		struct dev_user *du;
		__u64 lp, d3cold, cur, p50 = 0, p99 = 0, pmax = 0;	/* resume latency, ns */
		double lp_pct, d3cold_pct;
		int refs, foreign;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &s) || !s.watched)
			continue;
		du = dev_user(s.name);
		read_sysfs_state("/sys", s.name, &ss);
		cur = s.suspended && s.ts_suspend ? now - s.ts_suspend : 0;	/* still suspended */
		lp = s.lowpower_ns + cur;
		/* sysfs: a port's D3cold may have taken it deeper since it suspended */
		d3cold = s.d3cold_ns + (s.dstate == DSTATE_D3COLD ||
					!strcmp(ss.power_state, "D3cold") ? cur : 0);
		lp_pct = elapsed ? 100.0 * (double)lp / (double)elapsed : 0.0;
		d3cold_pct = elapsed ? 100.0 * (double)d3cold / (double)elapsed : 0.0;
		if (du->resume.n) {	/* from the events seen */
			p50 = samples_pct(&du->resume, 50);
			p99 = samples_pct(&du->resume, 99);
			pmax = samples_max(&du->resume);
		} else {		/* stock mode: only the histogram has them */
			struct hist_key hk = { .dev_id = key, .kind = H_RESUME };
			struct hist h;

			if (!bpf_map_lookup_elem(fds.hists, &hk, &h)) {
				p50 = hist_pct(h.slots, HIST_SLOTS, 50) * 1000;
				p99 = hist_pct(h.slots, HIST_SLOTS, 99) * 1000;
				pmax = hist_pct(h.slots, HIST_SLOTS, 100) * 1000;
			}
		}
		foreign = foreign_held(s.name);
		/* at the end, leaks are flagged before the summary counts them */
		if (final)
			leak_at_exit(key);
		refs = dev_outstanding(key, final) + foreign;
		if (final && foreign > 0) {
			/* a reference taken outside vfio is still held */
			if (env.json) {
				printf("{\"type\":\"flag\",\"flag\":\"held-outside-vfio\",\"dev\":");
				json_str(stdout, s.name);
				printf(",\"count\":%d,\"runtime_status\":", foreign);
				json_str(stdout, ss.runtime_status);
				printf("}\n");
			} else {
				printf("%-12s !! %d reference(s) taken outside vfio still held at exit "
				       "(device %s)\n", s.name, foreign, ss.runtime_status);
			}
			flag_count(du, "held-outside-vfio");
		}
		if (env.json) {
			printf("{\"type\":\"summary\",\"dev\":");
			json_str(stdout, s.name);
			printf(",\"final\":%s,\"elapsed_ns\":%llu,\"suspends\":%llu,\"resumes\":%llu,"
			       "\"lowpower_pct\":%.2f,\"d3hot_pct\":%.2f,\"d3cold_pct\":%.2f,"
			       "\"d3cold_suspends\":%llu,\"resume_p50_ns\":%llu,\"resume_p99_ns\":%llu,"
			       "\"resume_max_ns\":%llu,\"wakes\":%llu,\"entries\":%llu,\"exits\":%llu,"
			       "\"gets\":%llu,\"puts\":%llu,\"outstanding\":%d,\"flagged\":%lu,"
			       "\"foreign_gets\":%lu,\"foreign_puts\":%lu,\"config_puts\":%llu,"
			       "\"usage_count\":%d,\"power_state\":",
			       final ? "true" : "false", (unsigned long long)elapsed,
			       (unsigned long long)s.suspends, (unsigned long long)s.resumes,
			       lp_pct, lp_pct - d3cold_pct, d3cold_pct,
			       (unsigned long long)s.d3cold_suspends, (unsigned long long)p50,
			       (unsigned long long)p99, (unsigned long long)pmax,
			       (unsigned long long)s.wakes, (unsigned long long)s.entries,
			       (unsigned long long)s.exits, (unsigned long long)s.gets,
			       (unsigned long long)s.puts, refs, du->flagged,
			       du->foreign_gets, du->foreign_puts, (unsigned long long)s.config_puts,
			       ss.usage);
			json_str(stdout, ss.power_state);
			printf(",\"lost\":%llu}\n", (unsigned long long)lost_seen);
		} else {
			printf("%-12s %8llu %8llu %7.2f %7.2f %9.1f %9.1f %9.1f %6llu %7llu %6llu %9llu "
			       "%9llu %5d %7lu\n",
			       s.name, (unsigned long long)s.suspends, (unsigned long long)s.resumes,
			       lp_pct, d3cold_pct, (double)p50 / 1e3, (double)p99 / 1e3, (double)pmax / 1e3,
			       (unsigned long long)s.wakes,
			       (unsigned long long)s.entries, (unsigned long long)s.exits,
			       (unsigned long long)s.gets, (unsigned long long)s.puts, refs,
			       du->flagged);
		}
		if (env.hist)
			print_hists(key, s.name);
	}
	if (!env.json)
		printf("lost events: %llu%s; flagged: %lu\n", (unsigned long long)lost_seen,
		       lost_seen ? " (inconclusive)" : "", nflagged);
	fflush(stdout);
}

void print_start(void)
{
	char names[MAX_DEVS][DEV_NAME_LEN], watched[MAX_DEVS][DEV_NAME_LEN];
	int n = vfio_pci_devices("/sys", names, MAX_DEVS), nw = 0;
	static char blind[256];

	if (!full_mode)
		snprintf(blind, sizeof(blind), "pm_runtime_get_noresume/put_noidle (low-power "
			 "entry/exit references), %sthe reason and owner of each reference "
			 "(references pair per task)",
			 stock_vfio_funcs ? "" :
			 "the wake eventfd signal and the low-power feature ioctls, ");

	if (env.json) {
		printf("{\"type\":\"start\",\"ts\":%llu,\"mode\":\"%s\",\"blind\":\"%s\"}\n",
		       (unsigned long long)t0, full_mode ? "full" : "stock", blind);
	} else {
		printf("vfiopm-trace: %s mode (%s)\n", full_mode ? "full" : "stock",
		       full_mode ? "vfio:* and vfio_pci:* tracepoints" :
				   "rpm:* tracepoints and fentry/fexit, no vfiopm tracepoints");
		if (!full_mode)
			printf("vfiopm-trace: cannot see in stock mode: %s\n", blind);
		if (!env.all && !env.summary)
			printf("vfiopm-trace: region read/write and ioctl get/put that balance are "
			       "counted (GETS/PUTS in the summary), not shown; -a shows them\n");
	}
	for (int i = 0; i < n; i++) {
		struct sysfs_state ss;
		bool want = !env.ndevs;

		for (int j = 0; j < env.ndevs; j++)
			want |= !strcmp(env.devs[j], names[i]);
		if (!want)
			continue;
		memcpy(watched[nw++], names[i], DEV_NAME_LEN);
		read_sysfs_state("/sys", names[i], &ss);
		if (env.json) {
			printf("{\"type\":\"device\",\"dev\":\"%s\",\"power_state\":", names[i]);
			json_str(stdout, ss.power_state);
			printf(",\"runtime_status\":");
			json_str(stdout, ss.runtime_status);
			printf(",\"control\":");
			json_str(stdout, ss.control);
			printf(",\"usage_count\":%d}\n", ss.usage);
		} else {
			printf("vfiopm-trace: %s %s runtime_status=%s control=%s usage_count=%d\n",
			       names[i], ss.power_state, ss.runtime_status, ss.control, ss.usage);
		}
	}
	held_before_trace(watched, nw);
	if (!env.json && !env.summary)
		printf("%-10s %-12s %-22s %-6s %3s %9s %-15s %-7s %s\n", "TIME(s)", "DEVICE",
		       "EVENT", "DSTATE", "USE", "LAT(us)", "TASK", "TID", "DETAIL");
	fflush(stdout);
}
