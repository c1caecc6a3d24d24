// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "reader.h"

#define REORDER_CAP 4096
#define VERBOSE_PER_KIND 20

const char *const kind_names[LK__N] = {
	"meta", "event", "lost", "other event", "unknown vfio event", "malformed vfio", "unparsed"
};

void input_begin(struct input *in, const char *name, const struct input_opts *o)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->o = o;
	in->fmt = o->force;
	if (reorder_init(&in->ro, REORDER_CAP, o->window_ns)) {
		perror("vfiopm-check");
		exit(70);
	}
	checker_init(&in->ck, &o->check);
}

void input_free(struct input *in)
{
	reorder_free(&in->ro);
	checker_free(&in->ck);
}

static void release(struct input *in, int drain)
{
	const struct event *ev;

	while ((ev = reorder_pop(&in->ro, drain)))
		checker_event(&in->ck, ev);
}

static void verbose_line(struct input *in, enum line_kind k, const char *why,
			 const char *s, size_t n)
{
	if (!in->o->verbose || !in->o->vout || in->kinds[k] > VERBOSE_PER_KIND)
		return;
	fprintf(in->o->vout, "%s:%llu: %s%s%s: %.*s\n", in->name, in->lines, kind_names[k],
		why ? ": " : "", why ? why : "", (int)(n > 120 ? 120 : n), s);
	if (in->kinds[k] == VERBOSE_PER_KIND)
		fprintf(in->o->vout, "%s: (further %s lines not listed)\n", in->name, kind_names[k]);
}

void input_line(struct input *in, const char *s, size_t n)
{
	struct parsed p;

	if (in->fmt == FMT_UNKNOWN)
		in->fmt = detect_line(s, n);
	if (in->fmt == FMT_UNKNOWN) {
		size_t i = 0;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		p.kind = i == n || s[i] == '#' ? LK_META : LK_GARBAGE;
		p.why = "format not recognised yet";
	} else {
		parse_line(in->fmt, s, n, &p);
	}
	input_parsed(in, &p, s, n);
}

/* One line (or record) parsed: s, n is what -v shows of it. */
void input_parsed(struct input *in, struct parsed *p, const char *s, size_t n)
{
	in->lines++;
	in->kinds[p->kind]++;
	if (p->kind != LK_META && !in->first_content) {
		in->first_content = (long)in->lines;
		if (p->kind == LK_GARBAGE || p->kind == LK_BAD_VFIO) {
			char why[96];

			snprintf(why, sizeof(why), "first line %llu is not a whole trace line: log cut at the start",
				 in->lines);
			checker_taint(&in->ck, F_CUT, why, (long)in->lines);
		}
	}
	switch (p->kind) {
	case LK_EVENT:
		p->ev.line = (long)in->lines;
		p->ev.seq = in->seq++;
		if (in->ro.n == in->ro.cap)
			checker_event(&in->ck, reorder_pop(&in->ro, 1));
		reorder_push(&in->ro, &p->ev);
		release(in, 0);
		break;
	case LK_LOST:
		release(in, 1);	/* events before the gap stay before it */
		checker_lost(&in->ck, p->lost, p->why, (long)in->lines);
		verbose_line(in, p->kind, p->why, s, n);
		break;
	case LK_BAD_VFIO: {
		char why[120];

		snprintf(why, sizeof(why), "malformed vfio event (%s)", p->why);
		checker_taint(&in->ck, F_MALFORMED, why, (long)in->lines);
		verbose_line(in, p->kind, p->why, s, n);
		break;
	}
	case LK_META:
		break;
	default:
		verbose_line(in, p->kind, p->why, s, n);
	}
}

void input_end(struct input *in, int partial_last, unsigned long long long_lines)
{
	release(in, 1);
	in->ck.late += in->ro.late;
	if (partial_last)
		checker_taint(&in->ck, F_CUT, "the last line has no newline: log cut at the end",
			      (long)in->lines);
	in->long_lines = long_lines;	/* their first part was counted as an unparsed line */
	if (in->fmt == FMT_UNKNOWN && in->kinds[LK_GARBAGE]) {
		in->usage_err = 1;
		snprintf(in->err, sizeof(in->err),
			 "cannot recognise the log format (not ftrace, perf script or JSON); use --format");
	} else if (in->o->force != FMT_UNKNOWN && in->kinds[LK_GARBAGE] + in->kinds[LK_BAD_VFIO] &&
		   !in->kinds[LK_EVENT] && !in->kinds[LK_OTHER] && !in->kinds[LK_UNKNOWN_VFIO] &&
		   !in->kinds[LK_LOST]) {
		in->usage_err = 1;
		snprintf(in->err, sizeof(in->err), "no line is in %s format", fmt_names[in->o->force]);
	}
	checker_finish(&in->ck);
}

void input_run(struct input *in, const char *path, const struct input_opts *o)
{
	struct reader r;
	const char *line;
	size_t len;
	int rc;

	if (input_run_record(in, path, o))
		return;
	input_begin(in, path, o);
	rc = reader_open(&r, path, o->bufsize ? o->bufsize : 1 << 20);
	if (rc) {
		in->io_err = rc;
		snprintf(in->err, sizeof(in->err), "%s", strerror(rc));
		return;
	}
	while ((rc = reader_next(&r, &line, &len)) > 0)
		input_line(in, line, len);
	if (rc < 0) {
		in->io_err = r.err;
		snprintf(in->err, sizeof(in->err), "read error: %s", strerror(r.err));
	}
	input_end(in, r.partial_last, r.long_lines);
	reader_close(&r);
}
