// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * replay: the differential test of the two tools' balance cores.
 *
 *   replay [--invert-core] [--min N] LOG...
 *
 * Each LOG is read once by vfiopm-check's parsers; every event vfiopm-check
 * takes (in timestamp order) is also fed to vfiopm-trace's BPF core, run on
 * the host (tools/vfiopm-trace/tests/sim.h). Where the verdict rests on the
 * shared rules (bpf/vfiopm-rules.h) both must agree: balanced, or imbalance.
 * A log vfiopm-check calls inconclusive, or imbalanced only by a rule that
 * needs the whole log (active_unowned, sequence, not_idle), is listed and
 * not compared. Prints TAP lines; --min N fails unless N logs were compared;
 * --invert-core flips the core's verdicts (the control: it must fail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "replay.h"

struct observer {
	struct core *core;
	char devs[REPLAY_DEVS][DEV_LEN];
	int ndevs;
};

static int dev_index(struct observer *o, const char *name)
{
	for (int i = 0; i < o->ndevs; i++)
		if (!strcmp(o->devs[i], name))
			return i;
	if (o->ndevs == REPLAY_DEVS)
		return -1;
	snprintf(o->devs[o->ndevs], DEV_LEN, "%s", name);
	return o->ndevs++;
}

static void observe(void *ctx, const struct event *ev)
{
	struct observer *o = ctx;
	struct rrec r = { .ts = ev->ts, .pid = ev->pid, .dev = dev_index(o, ev->dev),
			  .op = ev->op, .reason = ev->reason, .ret = ev->ret,
			  .usage = ev->usage_count };

	switch (ev->type) {
	case EV_DEV_GET: r.kind = RK_GET; r.op = OP_RESUME_AND_GET; r.reason = -1; break;
	case EV_DEV_PUT: r.kind = RK_PUT; r.op = OP_PUT; r.reason = -1; break;
	case EV_PCI_GET: r.kind = RK_GET; break;
	case EV_PCI_PUT: r.kind = RK_PUT; break;
	case EV_RT_SUSPEND: r.kind = RK_SUSPEND; break;
	case EV_LP_EXIT: r.kind = RK_LP_EXIT; break;
	default: r.kind = RK_OTHER; break;
	}
	core_event(o->core, &r);
}

static int log_only(enum fkind k)
{
	return k == F_ACTIVE_UNOWNED || k == F_SEQUENCE || k == F_NOT_IDLE;
}

/* vfiopm-check's verdict; why: its findings; *compare: whether the shared rules decide it */
static int check_verdict(const struct input *in, char *why, size_t n, int *compare)
{
	int v = checker_verdict(&in->ck), shared = 0;
	size_t len = 0;

	why[0] = 0;
	for (size_t i = 0; i < in->ck.nf; i++) {
		const struct finding *f = &in->ck.f[i];
		int c = finding_counts(&in->ck, f);

		if (c != v || !c)
			continue;
		shared |= c == 1 && !log_only(f->kind);
		if (len < n && !strstr(why, fkind_names[f->kind]))
			len += (size_t)snprintf(why + len, n - len, "%s%s", len ? "," : "",
						fkind_names[f->kind]);
	}
	*compare = v == 0 || (v == 1 && shared);
	return v;
}

static int replay(const char *path, int invert, int *compared, int *failed)
{
	struct input_opts io = { .window_ns = 10000000ULL };
	struct observer o = { .core = core_new() };
	char cwhy[256], kwhy[256];
	struct input in;
	int v, cv, compare;

	io.check.observe = observe;
	io.check.observe_ctx = &o;
	input_run(&in, path, &io);
	if (in.io_err || in.usage_err) {
		printf("# not compared: %s: not a log vfiopm-check reads\n", path);
		goto out;
	}
	v = check_verdict(&in, cwhy, sizeof(cwhy), &compare);
	cv = core_verdict(o.core, kwhy, sizeof(kwhy)) ^ invert;
	if (!compare) {
		printf("# not compared: %s: vfiopm-check says %s (%s): %s\n", path,
		       v == 2 ? "inconclusive" : "imbalance", cwhy,
		       v == 2 ? "an incomplete log, which only vfiopm-check judges" :
			        "a finding only the whole log shows");
		goto out;
	}
	(*compared)++;
	if (cv != (v == 1))
		(*failed)++;
	printf("%s - differential: %s: vfiopm-check %s%s%s%s, vfiopm-trace's core %s%s%s%s\n",
	       cv == (v == 1) ? "ok" : "not ok", path, v ? "imbalance" : "balanced",
	       *cwhy ? " (" : "", cwhy, *cwhy ? ")" : "", cv ? "imbalance" : "balanced",
	       *kwhy ? " (" : "", kwhy, *kwhy ? ")" : "");
out:
	input_free(&in);
	core_free(o.core);
	return 0;
}

int main(int argc, char **argv)
{
	int invert = 0, min = 0, compared = 0, failed = 0, i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--invert-core"))
			invert = 1;
		else if (!strcmp(argv[i], "--min") && i + 1 < argc)
			min = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: replay [--invert-core] [--min N] LOG...\n");
			return 64;
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: replay [--invert-core] [--min N] LOG...\n");
		return 64;
	}
	for (; i < argc; i++)
		replay(argv[i], invert, &compared, &failed);
	printf("%s - differential: %d logs compared (at least %d wanted), %d disagree\n",
	       compared >= min && !failed ? "ok" : "not ok", compared, min, failed);
	return compared >= min && !failed ? 0 : 1;
}
