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

/* The frames of ips as "sym+0xoff" lines into buf; "" when there are none. */
static void stack_text(const __u64 *ips, int n, char *buf, size_t len)
{
	size_t at = 0;
	__u64 off;

	buf[0] = 0;
	for (int i = 0; i < n && ips[i] && at < len; i++) {
		const char *sym = ksyms_find(ksyms, ips[i], &off);
		int r = sym ? snprintf(buf + at, len - at, "%s+0x%llx\n", sym, (unsigned long long)off)
			    : snprintf(buf + at, len - at, "0x%llx\n", (unsigned long long)ips[i]);

		if (r < 0 || (size_t)r >= len - at) {
			buf[at] = 0;	/* a frame that does not fit is left out whole */
			break;
		}
		at += (size_t)r;
	}
}

/* ,"stack":[...] from stack_text() lines; nothing when there are none */
static void json_stack_text(FILE *f, const char *t)
{
	char frame[160];

	if (!*t)
		return;
	fprintf(f, ",\"stack\":[");
	for (const char *nl; (nl = strchr(t, '\n')); t = nl + 1) {
		snprintf(frame, sizeof(frame), "%.*s", (int)(nl - t), t);
		json_str(f, frame);
		if (nl[1])
			fputc(',', f);
	}
	fputc(']', f);
}

static void print_stack_text(FILE *f, const char *t, const char *indent)
{
	if (!*t) {
		fprintf(f, "%s[stack unavailable]\n", indent);
		return;
	}
	for (const char *nl; (nl = strchr(t, '\n')); t = nl + 1)
		fprintf(f, "%s%.*s\n", indent, (int)(nl - t), t);
}

/* ,"stack":[...] of a flagged record, with --stacks */
void json_stack_ips(FILE *f, const __u64 *ips, int n)
{
	char t[4096];

	if (!env.stacks || !ips[0])
		return;
	stack_text(ips, n, t, sizeof(t));
	json_stack_text(f, t);
}

void print_stack_ips(FILE *f, const __u64 *ips, int n, const char *indent)
{
	char t[4096];

	stack_text(ips, n, t, sizeof(t));
	print_stack_text(f, t, indent);
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

/*
 * The live filter of region/ioctl get/put that balance, as the BPF programs
 * apply it (quiet_rw), for a replay: the record file keeps them all.
 */
static bool quiet_in_view(const struct event *e)
{
	bool get = e->type == EV_PCI_PM_GET || e->type == EV_DEVICE_PM_GET;

	if (!(env.json ? env.no_rw : !env.all) || e->flags)
		return false;
	if (e->type == EV_RPM_GET || e->type == EV_RPM_PUT)
		return e->usage_count > 0;
	if (e->type > EV_PCI_PM_PUT || (e->pairing != PAIR_REGION && e->pairing != PAIR_IOCTL))
		return false;
	return !(get ? e->latency_ns : e->usage_count == 0);
}

bool event_shown(const struct event *e)
{
	if (recw && !env.json)	/* -w alone: the file is the output */
		return false;
	if (env.summary && !is_flag(e->flags))
		return false;
	if (env.replay) {
		if (quiet_in_view(e))
			return false;
		if (env.pid && e->tgid != env.pid && !e->flags)
			return false;
		if (env.ndevs) {
			bool want = false;

			for (int i = 0; i < env.ndevs; i++)
				want |= !strncmp(env.devs[i], e->dev, DEV_NAME_LEN);
			return want;
		}
	}
	return true;
}

void print_event(const struct event *e, const char *site, const char *stack)
{
	char line[1024];

	if (env.json) {
		format_json(e, site, line, sizeof(line));
		if (is_flag(e->flags) && env.stacks && *stack) {
			line[strlen(line) - 1] = 0;	/* reopen the object for "stack" */
			fputs(line, stdout);
			json_stack_text(stdout, stack);
			puts("}");
			return;
		}
		puts(line);
		return;
	}
	format_live(e, site, t0, line, sizeof(line));
	puts(line);
	if (env.stacks && is_flag(e->flags))
		print_stack_text(stdout, stack, "        ");
}

/* What an event does to the counts kept here, live or replayed. */
void event_account(const struct event *e)
{
	struct dev_user *du = dev_user(e->dev);

	if (e->type == EV_DEVICE_PM_GET || e->type == EV_PCI_PM_GET) {
		if (e->latency_ns)
			samples_add(&du->resume, e->latency_ns);
	}
	if (e->type == EV_LOW_POWER_ENTRY && e->ret == 0)
		du->entries_by[!!e->with_wakeup]++;
	if (e->type == EV_LOW_POWER_EXIT && e->source < SRC__N)
		du->exits_by[e->source]++;
	if (is_flag(e->flags))
		flag_count(du, flag_kind(e->flags));
}

int handle_event(void *ctx, void *data, size_t len)
{
	const struct event *e = data;
	char sitebuf[160], stack[4096] = "";
	const char *site = NULL;

	(void)ctx;
	if (len < sizeof(*e))
		return 0;
	event_account(e);
	if (is_flag(e->flags)) {
		__u64 ips[MAX_STACK_DEPTH];

		site = site_of(e->stack_id, sitebuf, sizeof(sitebuf));
		if (env.stacks && !stack_ips(e->stack_id, ips))
			stack_text(ips, MAX_STACK_DEPTH, stack, sizeof(stack));
	}
	if (e->flags & (FL_UNDERFLOW | FL_HELD_AT_SUSPEND))
		foreign_count_finding(e->dev);
	if (e->type == EV_PCI_PM_PUT && e->reason == R_DISABLE)
		leak_at_close(e->dev_id, e->ts);
	if (recw)
		record_event(e, site, stack);
	if (event_shown(e))
		print_event(e, site, stack);
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
	if (recw)
		record_lost(now_ns(), total - lost_seen);
	if (!recw || env.json)
		print_lost(now_ns(), total - lost_seen);
	lost_seen = total;
}

void print_lost(__u64 ts, __u64 count)
{
	if (env.json)
		printf("{\"type\":\"lost\",\"ts\":%llu,\"count\":%llu}\n",
		       (unsigned long long)ts, (unsigned long long)count);
	else
		printf("LOST %llu events (ring buffer full, or a program skipped on re-entry): "
		       "the run is inconclusive\n", (unsigned long long)count);
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
	struct out o;

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
		if (!out_begin(&o, VFR_C_ALWAYS))
			continue;
		if (o.j) {
			fprintf(o.j, "{\"type\":\"outstanding\",\"dev\":");
			json_str(o.j, name);
			fprintf(o.j, ",\"pairing\":\"%s\",\"count\":%d,\"age_ns\":%llu,\"pid\":%d,"
				"\"comm\":", pairing_name(key.pairing), v.count,
				(unsigned long long)(now - v.ts), v.pid);
			json_str(o.j, v.comm);
			fprintf(o.j, ",\"site\":");
			json_str(o.j, site ? site : "?");
			fprintf(o.j, "}\n");
		}
		if (o.h)
			fprintf(o.h, "  outstanding: %s reference x%d held %.3f s by %s/%d, taken at %s\n",
				pairing_name(key.pairing), v.count, (double)(now - v.ts) / 1e9, v.comm,
				v.pid, site ? site : "?");
		out_end(&o, VFR_C_ALWAYS);
	}
	return n;
}

static void print_hists(__u64 dev_id, const char *name)
{
	int fd = fds.hists;
	struct out o;

	for (int k = 0; k < H_MAX; k++) {
		struct hist_key key = { .dev_id = dev_id, .kind = (__u32)k };
		struct hist h;

		if (bpf_map_lookup_elem(fd, &key, &h) || !out_begin(&o, VFR_C_HIST))
			continue;
		if (o.j) {
			fprintf(o.j, "{\"type\":\"hist\",\"dev\":");
			json_str(o.j, name);
			fprintf(o.j, ",\"kind\":\"%s\",\"unit\":\"usecs\",\"log2_slots\":[",
				hist_name(k));
			for (int i = 0; i < HIST_SLOTS; i++)
				fprintf(o.j, "%s%llu", i ? "," : "", (unsigned long long)h.slots[i]);
			fprintf(o.j, "]}\n");
		}
		if (o.h) {
			fprintf(o.h, "\n%s %s:\n", name, hist_name(k));
			print_log2_hist(o.h, h.slots, HIST_SLOTS, "usecs");
		}
		out_end(&o, VFR_C_HIST);
	}
}

/* End-of-trace checks and the per-device table. */
void print_summary(bool final)
{
	int fd = fds.devs;
	__u64 key, next, *prev = NULL, now = now_ns(), elapsed = now - t0;
	struct dev_state s;
	struct out o;

	if (final)
		scan_foreign(10000000ULL, true);
	check_lost();
	if (out_begin(&o, VFR_C_ALWAYS) && o.h)
		fprintf(o.h, "\n%-12s %8s %8s %7s %7s %9s %9s %9s %6s %7s %6s %9s %9s %5s %7s\n",
		       "DEVICE", "SUSPENDS", "RESUMES", "LOWPWR%", "D3COLD%", "RES_P50us", "RES_P99us",
		       "RES_MAXus", "WAKES", "ENTRIES", "EXITS", "GETS", "PUTS", "REFS", "FLAGGED");
	out_end(&o, VFR_C_ALWAYS);
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
			if (out_begin(&o, VFR_C_FLAG) && o.j) {
				fprintf(o.j, "{\"type\":\"flag\",\"flag\":\"held-outside-vfio\",\"dev\":");
				json_str(o.j, s.name);
				fprintf(o.j, ",\"count\":%d,\"runtime_status\":", foreign);
				json_str(o.j, ss.runtime_status);
				fprintf(o.j, "}\n");
			}
			if (o.h) {
				fprintf(o.h, "%-12s !! %d reference(s) taken outside vfio still held at exit "
				       "(device %s)\n", s.name, foreign, ss.runtime_status);
			}
			out_end(&o, VFR_C_FLAG);
			flag_count(du, "held-outside-vfio");
		}
		if (out_begin(&o, VFR_C_ALWAYS) && o.j) {
			fprintf(o.j, "{\"type\":\"summary\",\"dev\":");
			json_str(o.j, s.name);
			fprintf(o.j, ",\"final\":%s,\"elapsed_ns\":%llu,\"suspends\":%llu,\"resumes\":%llu,"
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
			json_str(o.j, ss.power_state);
			fprintf(o.j, ",\"lost\":%llu}\n", (unsigned long long)lost_seen);
		}
		if (o.h) {
			fprintf(o.h, "%-12s %8llu %8llu %7.2f %7.2f %9.1f %9.1f %9.1f %6llu %7llu %6llu %9llu "
			       "%9llu %5d %7lu\n",
			       s.name, (unsigned long long)s.suspends, (unsigned long long)s.resumes,
			       lp_pct, d3cold_pct, (double)p50 / 1e3, (double)p99 / 1e3, (double)pmax / 1e3,
			       (unsigned long long)s.wakes,
			       (unsigned long long)s.entries, (unsigned long long)s.exits,
			       (unsigned long long)s.gets, (unsigned long long)s.puts, refs,
			       du->flagged);
		}
		out_end(&o, VFR_C_ALWAYS);
		if (env.hist || recw)	/* a record file keeps them for -r -H */
			print_hists(key, s.name);
	}
	if (out_begin(&o, VFR_C_ALWAYS) && o.h)
		fprintf(o.h, "lost events: %llu%s; flagged: %lu\n", (unsigned long long)lost_seen,
			lost_seen ? " (inconclusive)" : "", nflagged);
	out_end(&o, VFR_C_ALWAYS);
	fflush(stdout);
}

/* The devices traced, as sysfs shows them now. */
static int watched_devices(char watched[][DEV_NAME_LEN], struct vfr_device *devs)
{
	char names[MAX_DEVS][DEV_NAME_LEN];
	int n = vfio_pci_devices("/sys", names, MAX_DEVS), nw = 0;

	for (int i = 0; i < n; i++) {
		struct sysfs_state ss;
		bool want = !env.ndevs;

		for (int j = 0; j < env.ndevs; j++)
			want |= !strcmp(env.devs[j], names[i]);
		if (!want)
			continue;
		read_sysfs_state("/sys", names[i], &ss);
		memcpy(watched[nw], names[i], DEV_NAME_LEN);
		devs[nw] = (struct vfr_device){ .usage_count = ss.usage };
		memcpy(devs[nw].dev, names[i], sizeof(devs[nw].dev));
		snprintf(devs[nw].power_state, sizeof(devs[nw].power_state), "%s", ss.power_state);
		snprintf(devs[nw].runtime_status, sizeof(devs[nw].runtime_status), "%s",
			 ss.runtime_status);
		snprintf(devs[nw].control, sizeof(devs[nw].control), "%s", ss.control);
		nw++;
	}
	return nw;
}

static void print_device(const struct vfr_device *d)
{
	struct out o;

	if (!out_begin(&o, VFR_C_ALWAYS))
		return;
	if (o.j) {
		fprintf(o.j, "{\"type\":\"device\",\"dev\":\"%s\",\"power_state\":", d->dev);
		json_str(o.j, d->power_state);
		fprintf(o.j, ",\"runtime_status\":");
		json_str(o.j, d->runtime_status);
		fprintf(o.j, ",\"control\":");
		json_str(o.j, d->control);
		fprintf(o.j, ",\"usage_count\":%d}\n", d->usage_count);
	}
	if (o.h)
		fprintf(o.h, "vfiopm-trace: %s %s runtime_status=%s control=%s usage_count=%d\n",
			d->dev, d->power_state, d->runtime_status, d->control, d->usage_count);
	out_end(&o, VFR_C_ALWAYS);
}

static void print_mode(const char *blind)
{
	struct out o;

	if (out_begin(&o, VFR_C_ALWAYS)) {
		if (o.j)
			fprintf(o.j, "{\"type\":\"start\",\"ts\":%llu,\"mode\":\"%s\",\"blind\":\"%s\"}\n",
				(unsigned long long)t0, full_mode ? "full" : "stock", blind);
		if (o.h) {
			fprintf(o.h, "vfiopm-trace: %s mode (%s)\n", full_mode ? "full" : "stock",
				full_mode ? "vfio:* and vfio_pci:* tracepoints" :
				"rpm:* tracepoints and fentry/fexit, no vfiopm tracepoints");
			if (!full_mode)
				fprintf(o.h, "vfiopm-trace: cannot see in stock mode: %s\n", blind);
		}
	}
	out_end(&o, VFR_C_ALWAYS);
	if (out_begin(&o, VFR_C_RW_NOTE) && o.h)
		fprintf(o.h, "vfiopm-trace: region read/write and ioctl get/put that balance are "
			"counted (GETS/PUTS in the summary), not shown; -a shows them\n");
	out_end(&o, VFR_C_RW_NOTE);
}

/* Returns -1 when the record file cannot take its header. */
int print_start(void)
{
	char watched[MAX_DEVS][DEV_NAME_LEN];
	struct vfr_device devs[MAX_DEVS];
	int nw = watched_devices(watched, devs);
	static char blind[256];
	struct out o;

	if (!full_mode)
		snprintf(blind, sizeof(blind), "pm_runtime_get_noresume/put_noidle (low-power "
			 "entry/exit references), %sthe reason and owner of each reference "
			 "(references pair per task)",
			 stock_vfio_funcs ? "" :
			 "the wake eventfd signal and the low-power feature ioctls, ");
	if (recw && record_header(devs, nw, blind))
		return -1;
	print_mode(blind);
	for (int i = 0; i < nw; i++)
		print_device(&devs[i]);
	held_before_trace(watched, nw);
	if (out_begin(&o, VFR_C_DETAIL) && o.h)
		fprintf(o.h, "%-10s %-12s %-22s %-6s %3s %9s %-15s %-7s %s\n", "TIME(s)", "DEVICE",
			"EVENT", "DSTATE", "USE", "LAT(us)", "TASK", "TID", "DETAIL");
	out_end(&o, VFR_C_DETAIL);
	fflush(stdout);
	return 0;
}
