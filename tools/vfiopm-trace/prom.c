// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfiopm-trace --prom FILE: the per-device counters as Prometheus metrics
 * (docs/metrics.md), rewritten atomically every interval and at exit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>

#include "prom.h"
#include "report.h"
#include "tool.h"

extern __u64 lost_seen;

struct prom_dev {
	struct dev_state s;
	struct dev_user *du;
	struct sysfs_state ss;
	__u64 id;
};

struct prom_ctx {
	struct prom_dev d[MAX_DEVS];
	int n;
	__u64 now;
};

static const char *const entry_kinds[2] = { "plain", "wakeup" };

static void counters(FILE *f, const struct prom_ctx *c)
{
	prom_header(f, M_SUSPENDS);
	for (int i = 0; i < c->n; i++)
		prom_sample(f, prom_name(M_SUSPENDS), (double)c->d[i].s.suspends, "dev", c->d[i].s.name, NULL);
	prom_header(f, M_RESUMES);
	for (int i = 0; i < c->n; i++)
		prom_sample(f, prom_name(M_RESUMES), (double)c->d[i].s.resumes, "dev", c->d[i].s.name, NULL);
	prom_header(f, M_WAKES);
	for (int i = 0; i < c->n; i++)
		prom_sample(f, prom_name(M_WAKES), (double)c->d[i].s.wakes, "dev", c->d[i].s.name, NULL);
	prom_header(f, M_ENTRIES);
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < 2; k++)
			prom_sample(f, prom_name(M_ENTRIES), (double)c->d[i].du->entries_by[k],
				    "dev", c->d[i].s.name, "kind", entry_kinds[k], NULL);
	prom_header(f, M_EXITS);
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < SRC__N; k++)
			prom_sample(f, prom_name(M_EXITS), (double)c->d[i].du->exits_by[k],
				    "dev", c->d[i].s.name, "source", source_name(k), NULL);
}

/* D0 is the time not suspended; an interval still open counts up to now. */
static void state_seconds(FILE *f, const struct prom_ctx *c)
{
	__u64 elapsed = c->now - t0;

	prom_header(f, M_STATE_SECONDS);
	for (int i = 0; i < c->n; i++) {
		const struct dev_state *s = &c->d[i].s;
		__u64 cur = s->suspended && s->ts_suspend ? c->now - s->ts_suspend : 0;
		__u64 lp = s->lowpower_ns + cur;
		__u64 cold = s->d3cold_ns + (s->dstate == DSTATE_D3COLD ||
					     !strcmp(c->d[i].ss.power_state, "D3cold") ? cur : 0);

		lp = lp > elapsed ? elapsed : lp;
		prom_sample(f, prom_name(M_STATE_SECONDS), (double)(elapsed - lp) / 1e9,
			    "dev", s->name, "state", "D0", NULL);
		prom_sample(f, prom_name(M_STATE_SECONDS), (double)(lp - cold) / 1e9,
			    "dev", s->name, "state", "D3hot", NULL);
		prom_sample(f, prom_name(M_STATE_SECONDS), (double)cold / 1e9,
			    "dev", s->name, "state", "D3cold", NULL);
	}
}

/* log2 slot i holds [2^i, 2^(i+1)) us: cumulative buckets at le = 2^(i+1) us */
static void latency_hist(FILE *f, const char *dev, const char *from, __u64 id, int kind)
{
	struct hist_key k = { .dev_id = id, .kind = (__u32)kind };
	struct hist h;
	char name[64], le[32];
	__u64 cum = 0;
	int top = -1;

	memset(&h, 0, sizeof(h));
	bpf_map_lookup_elem(fds.hists, &k, &h);	/* none yet: an empty histogram */
	for (int i = 0; i < HIST_SLOTS; i++)
		if (h.slots[i])
			top = i;
	snprintf(name, sizeof(name), "%s_bucket", prom_name(M_RESUME_LATENCY));
	for (int i = 0; i <= top; i++) {
		cum += h.slots[i];
		snprintf(le, sizeof(le), "%.9g", (double)(1ULL << (i + 1)) / 1e6);
		prom_sample(f, name, (double)cum, "dev", dev, "from", from, "le", le, NULL);
	}
	prom_sample(f, name, (double)cum, "dev", dev, "from", from, "le", "+Inf", NULL);
	snprintf(name, sizeof(name), "%s_sum", prom_name(M_RESUME_LATENCY));
	prom_sample(f, name, (double)h.sum_ns / 1e9, "dev", dev, "from", from, NULL);
	snprintf(name, sizeof(name), "%s_count", prom_name(M_RESUME_LATENCY));
	prom_sample(f, name, (double)cum, "dev", dev, "from", from, NULL);
}

static void gauges_and_flags(FILE *f, const struct prom_ctx *c)
{
	prom_header(f, M_RESUME_LATENCY);
	for (int i = 0; i < c->n; i++) {
		latency_hist(f, c->d[i].s.name, "other", c->d[i].id, H_RESUME);
		latency_hist(f, c->d[i].s.name, "D3cold", c->d[i].id, H_RESUME_D3COLD);
	}
	prom_header(f, M_USAGE);
	for (int i = 0; i < c->n; i++)
		if (c->d[i].ss.usage >= 0)
			prom_sample(f, prom_name(M_USAGE), c->d[i].ss.usage, "dev", c->d[i].s.name, NULL);
	prom_header(f, M_POWER_STATE);
	for (int i = 0; i < c->n; i++)
		prom_power_state(f, c->d[i].s.name, c->d[i].ss.power_state);
	prom_header(f, M_FLAGGED);
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < c->d[i].du->nflag_kinds; k++)
			prom_sample(f, prom_name(M_FLAGGED), (double)c->d[i].du->flags_by[k].n,
				    "dev", c->d[i].s.name, "kind", c->d[i].du->flags_by[k].kind, NULL);
}

static void write_all(FILE *f, void *ctx)
{
	const struct prom_ctx *c = ctx;
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	prom_header(f, M_INFO);
	prom_sample(f, prom_name(M_INFO), 1, "tool", "vfiopm-trace", "mode",
		    full_mode ? "full" : "stock", "kernel", u.release, NULL);
	counters(f, c);
	state_seconds(f, c);
	gauges_and_flags(f, c);
	prom_header(f, M_LOST);
	prom_sample(f, prom_name(M_LOST), (double)lost_seen, NULL);
}

int write_prom(const char *path)
{
	static struct prom_ctx c;
	__u64 key, next, *prev = NULL;

	c.n = 0;
	c.now = now_ns();
	while (!bpf_map_get_next_key(fds.devs, prev, &next) && c.n < MAX_DEVS) {
		struct prom_dev *d = &c.d[c.n];

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fds.devs, &key, &d->s) || !d->s.watched)
			continue;
		d->id = key;
		d->du = dev_user(d->s.name);
		read_sysfs_state("/sys", d->s.name, &d->ss);
		c.n++;
	}
	if (prom_write_file(path, write_all, &c)) {
		fprintf(stderr, "vfiopm-trace: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
