// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * -r FILE: a record file shown as the live tool would have shown it: events
 * through the same formatters, derived records in the rendering the view
 * wants, kept as they were written.
 */
#include <errno.h>
#include <string.h>

#include "report.h"

static void replay_text(const struct vfr_item *it)
{
	const char *t = env.json ? it->json : it->human;

	if (it->class == VFR_C_FLAG)
		nflagged++;
	if (!class_shown(it->class) || !*t)
		return;
	fputs(t, stdout);
	if (env.json)
		putchar('\n');
}

static void replay_event(const struct vfr_item *it)
{
	struct event e;

	event_from_vfr(&e, it->ev);
	event_account(&e);
	if (event_shown(&e))
		print_event(&e, *it->site ? it->site : NULL, it->stack);
}

static int replay_records(struct vfr_reader *r, const char *path)
{
	struct vfr_item it;
	int rc;

	while ((rc = vfr_next(r, &it)) > 0) {
		switch (it.type) {
		case VFR_REC_EVENT:
			replay_event(&it);
			break;
		case VFR_REC_TEXT:
			replay_text(&it);
			break;
		case VFR_REC_LOST:
			print_lost(it.lost->ts, it.lost->count);
			break;
		default:
			break;
		}
	}
	fflush(stdout);
	if (rc < 0) {
		fprintf(stderr, "vfiopm-trace: %s: %s; what came before is shown, the run is "
			"inconclusive\n", path, r->err);
		return -1;
	}
	return 0;
}

int replay(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct vfr_reader r;
	char pre[8];
	size_t have;
	int err;

	if (!f) {
		fprintf(stderr, "vfiopm-trace: -r %s: %s\n", path, strerror(errno));
		return 2;
	}
	have = fread(pre, 1, sizeof(pre), f);
	if (!vfr_is_record(pre, have)) {
		fprintf(stderr, "vfiopm-trace: %s is not a record file of vfiopm-trace -w "
			"(for text and JSON logs, use vfiopm-check)\n", path);
		err = -1;
	} else if (vfr_open(&r, f, pre, have)) {
		fprintf(stderr, "vfiopm-trace: %s: %s\n", path, r.err);
		vfr_close(&r);
		err = -1;
	} else {
		t0 = r.h.t0;
		full_mode = r.h.mode == VFR_MODE_FULL;
		if (env.stacks && !(r.h.flags & VFR_F_STACKS))
			fprintf(stderr, "vfiopm-trace: %s was recorded without --stacks: no stacks "
				"to show\n", path);
		err = replay_records(&r, path);
		vfr_close(&r);
	}
	if (f != stdin)
		fclose(f);
	if (err)
		return 2;
	return env.fail_on_imbalance && nflagged ? 1 : 0;
}
