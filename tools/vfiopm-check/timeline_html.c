// SPDX-License-Identifier: GPL-2.0
/*
 * The timeline page: inline SVG and CSS, no script, no network. A lane per
 * device: D-state bands, the usage count as a step line, markers for
 * low-power entry/exit and wake signals, the findings, and the sessions
 * that held the device open. A pixel column is a bucket or two.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "input.h"
#include "report.h"
#include "timeline.h"

#define LABEL_W	150
#define LANE_H	120
#define BAND_Y	18
#define BAND_H	18
#define USE_Y	40		/* usage count area: USE_Y .. USE_Y + USE_H */
#define USE_H	36
#define MARK_Y	86
#define SESS_Y	98
#define SESS_ROWS 3

static const char *const state_names[TS__N] = { "D0", "D3hot", "D3cold", "low power, state not in the log" };
static const char *const state_class[TS__N] = { "d0", "d3hot", "d3cold", "low" };
static const char *const mark_names[MK__N] = {
	"low-power entry", "low-power entry with wakeup", "low-power exit (ioctl)",
	"low-power exit (wake)", "low-power exit (close while engaged)", "wake signal",
};
static const char *const mark_class[MK__N] = { "entry", "entryw", "exit", "exitw", "exitc", "wake" };

struct cols {			/* the buckets, grouped into pixel columns */
	const struct timeline *tl;
	int per, n;		/* buckets per column, columns */
	double px;		/* pixels per column */
};

static void col(const struct cols *c, const struct tl_dev *d, int i, struct tl_bucket *out)
{
	*out = d->b[i * c->per];
	for (int k = 1; k < c->per && i * c->per + k < TL_BUCKETS; k++)
		timeline_bucket_merge(out, out, &d->b[i * c->per + k]);
}

static double secs(const struct timeline *tl, uint64_t ts)
{
	return ts > tl->t0 ? (double)(ts - tl->t0) / 1e9 : 0.0;
}

static double x_of(const struct cols *c, uint64_t ts)
{
	double span = (double)c->tl->width * c->per * c->n;

	return LABEL_W + (ts > c->tl->t0 ? (double)(ts - c->tl->t0) / span * TL_COLS : 0.0);
}

/* Runs of columns whose longest-held state is the same: one band each. */
static size_t bands(FILE *f, const struct cols *c, const struct tl_dev *d, int y)
{
	size_t n = 0;
	int run = -1, start = 0;
	uint64_t run_ns = 0, all_ns = 0;

	for (int i = 0; i <= c->n; i++) {
		struct tl_bucket b;
		int s = -1;
		uint64_t best = 0;

		if (i < c->n) {
			col(c, d, i, &b);
			for (int k = 0; k < TS__N; k++)
				if (b.ns[k] > best) {
					best = b.ns[k];
					s = k;
				}
		}
		if (s == run && i < c->n) {
			run_ns += b.ns[s];
			for (int k = 0; k < TS__N; k++)
				all_ns += b.ns[k];
			continue;
		}
		if (run >= 0) {
			fprintf(f, "<rect class=\"band %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">"
				"<title>%s for %.6f s of these %.6f s, from %.6f s</title></rect>\n",
				state_class[run], LABEL_W + start * c->px, y + BAND_Y, (i - start) * c->px,
				BAND_H, state_names[run], (double)run_ns / 1e9, (double)all_ns / 1e9,
				(double)start * c->per * (double)c->tl->width / 1e9);
			n++;
		}
		run = s;
		start = i;
		run_ns = s >= 0 ? b.ns[s] : 0;
		all_ns = 0;
		if (s >= 0)
			for (int k = 0; k < TS__N; k++)
				all_ns += b.ns[k];
	}
	return n;
}

static void usage_line(FILE *f, const struct cols *c, const struct tl_dev *d, int y)
{
	int top = 1, started = 0;
	struct tl_bucket b;

	for (int i = 0; i < c->n; i++) {
		col(c, d, i, &b);
		if (b.umin <= b.umax && b.umax > top)
			top = b.umax;
	}
	fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%d\">%d</text>"
		"<text class=\"axis\" x=\"%d\" y=\"%d\">0</text>\n", LABEL_W - 4, y + USE_Y + 4, top,
		LABEL_W - 4, y + USE_Y + USE_H);
	fputs("<path class=\"usage\" d=\"", f);
	for (int i = 0; i < c->n; i++) {
		double x = LABEL_W + i * c->px;

		col(c, d, i, &b);
		if (b.umin > b.umax)
			continue;
#define UY(u) (y + USE_Y + USE_H - (double)(u) * USE_H / top)
		if (!started)
			fprintf(f, "M%.1f %.1f", x, UY(b.umax));
		else
			fprintf(f, "H%.1f", x);
		fprintf(f, "V%.1fV%.1fV%.1f", UY(b.umax), UY(b.umin), UY(b.ulast));
		started = 1;
	}
	if (started)
		fprintf(f, "H%.1f", LABEL_W + (double)TL_COLS);
	fputs("\"/>\n", f);
#undef UY
}

static size_t markers(FILE *f, const struct cols *c, const struct tl_dev *d, int y)
{
	size_t n = 0;
	struct tl_bucket b;

	for (int i = 0; i < c->n; i++) {
		col(c, d, i, &b);
		for (int k = 0; k < MK__N; k++) {
			const struct tl_ref *r = &b.ref[k];
			double x = LABEL_W + (i + 0.5) * c->px;

			if (!b.marks[k])
				continue;
			fprintf(f, "<circle class=\"mark %s\" cx=\"%.1f\" cy=\"%d\" r=\"3.5\"><title>",
				mark_class[k], x, y + MARK_Y + (k % 2) * 4);
			fprintf(f, "%s at %.6f s, line %ld: task ", mark_names[k], secs(c->tl, r->ts), r->line);
			xml_str(f, r->comm);
			fprintf(f, "-%d", r->pid);
			if (b.marks[k] > 1)
				fprintf(f, " (and %u more in this pixel column)", b.marks[k] - 1);
			fputs("</title></circle>\n", f);
			n++;
		}
	}
	return n;
}

static void sessions(FILE *f, const struct cols *c, const struct tl_dev *d, int y)
{
	for (size_t i = 0; i < d->nsess; i++) {
		const struct tl_session *s = &d->sess[i];
		double x0 = x_of(c, s->start), x1 = x_of(c, s->end ? s->end : c->tl->last);

		fprintf(f, "<rect class=\"sess\" x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"5\"><title>"
			"open by ", x0, (size_t)y + SESS_Y + (i % SESS_ROWS) * 7, x1 - x0 < 1 ? 1 : x1 - x0);
		xml_str(f, s->comm);
		fprintf(f, "-%d from %.6f s to %s", s->pid, secs(c->tl, s->start),
			s->end ? "" : "the end of the log (still open)");
		if (s->end)
			fprintf(f, "%.6f s", secs(c->tl, s->end));
		fputs("</title></rect>\n", f);
	}
}

static size_t flags(FILE *f, const struct cols *c, const struct checker *ck, const char *dev, int y)
{
	size_t n = 0;

	for (size_t i = 0; i < ck->nf; i++) {
		const struct finding *fd = &ck->f[i];
		double x;

		if (strcmp(fd->dev, dev) || fd->sev == SEV_INFO || !fd->ts)
			continue;
		x = x_of(c, fd->ts);
		fprintf(f, "<path class=\"flag %s\" d=\"M%.1f %dl-5 -9h10z\"><title>%s %s at %.6f s, line %ld: ",
			fd->sev == SEV_IMBALANCE ? "bad" : "unsure", x, y + BAND_Y - 1,
			fd->sev == SEV_IMBALANCE ? "FAIL" : "INCONCLUSIVE", fkind_names[fd->kind],
			secs(c->tl, fd->ts), fd->line);
		xml_str(f, fd->msg);
		fputs("</title></path>\n", f);
		n++;
	}
	return n;
}

/* Ticks at 1, 2 or 5 times a power of ten, about eight of them. */
static void axis(FILE *f, const struct cols *c, int y)
{
	double span = (double)c->tl->width * c->per * c->n / 1e9, step = pow(10, floor(log10(span / 8)));
	const char *unit = "s";
	double scale = 1;

	if (span / 8 / step >= 5)
		step *= 5;
	else if (span / 8 / step >= 2)
		step *= 2;
	if (span < 0.01) {
		unit = "µs";
		scale = 1e6;
	} else if (span < 10) {
		unit = "ms";
		scale = 1e3;
	}
	fprintf(f, "<line class=\"axisline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", LABEL_W, y,
		LABEL_W + TL_COLS, y);
	for (double t = 0; t <= span * 1.0001; t += step) {
		double x = LABEL_W + t / span * TL_COLS;

		fprintf(f, "<line class=\"axisline\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
			"<text class=\"tick\" x=\"%.1f\" y=\"%d\">%g %s</text>\n", x, y, x, y + 4, x, y + 16,
			t * scale, unit);
	}
}

static const char css[] =
"body{font:13px sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:15px;margin-top:24px}"
".meta{color:#444}.blind{color:#8a4b00}svg{background:#fff}text{font:11px sans-serif}"
".name{font:12px monospace}.axis{text-anchor:end;fill:#666}.tick{text-anchor:middle;fill:#444}"
".axisline{stroke:#999}.band.d0{fill:#f2c14e}.band.d3hot{fill:#6fa8dc}.band.d3cold{fill:#1c4587}"
".band.low{fill:#9e9e9e}.usage{fill:none;stroke:#c0392b;stroke-width:1.2}"
".mark.entry{fill:#2e7d32}.mark.entryw{fill:#66bb6a}.mark.exit{fill:#6a1b9a}.mark.exitw{fill:#ab47bc}"
".mark.exitc{fill:#4a148c}.mark.wake{fill:#ef6c00}.flag.bad{fill:#d50000}.flag.unsure{fill:#ff9800}"
".sess{fill:#78909c}.legend span{display:inline-block;margin-right:14px}"
".sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}";

static void legend(FILE *f)
{
	static const char *const items[][2] = {
		{ "#f2c14e", "D0" }, { "#6fa8dc", "D3hot" }, { "#1c4587", "D3cold" },
		{ "#9e9e9e", "low power, D-state not in the log" }, { "#c0392b", "usage count" },
		{ "#2e7d32", "LP entry" }, { "#66bb6a", "LP entry with wakeup" }, { "#6a1b9a", "LP exit (ioctl)" },
		{ "#ab47bc", "LP exit (wake)" }, { "#4a148c", "LP exit (close)" }, { "#ef6c00", "wake signal" },
		{ "#d50000", "finding: imbalance" }, { "#ff9800", "finding: inconclusive" },
		{ "#78909c", "open session" },
	};

	fputs("<p class=\"legend\">", f);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		fprintf(f, "<span><i class=\"sw\" style=\"background:%s\"></i>%s</span>", items[i][0], items[i][1]);
	fputs("</p>\n", f);
}

static void section(FILE *f, const struct input *in, const struct timeline *tl)
{
	const struct checker *ck = &in->ck;
	int nb = tl->started ? (int)((tl->last - tl->t0) / tl->width) + 1 : 1;
	struct cols c = { .tl = tl, .per = nb > TL_COLS ? 2 : 1 };
	int h = (int)tl->ndevs * LANE_H + 30;

	c.n = (nb + c.per - 1) / c.per;
	c.px = (double)TL_COLS / c.n;
	fputs("<h2>", f);
	xml_str(f, in->name);
	fprintf(f, "</h2>\n<p class=\"meta\">%s log, %llu events, verdict <b>%s</b>, %llu events lost%s; "
		"%.6f s from the first event to the last.</p>\n", fmt_names[in->fmt],
		(unsigned long long)tl->events, verdict_names[checker_verdict(ck)],
		(unsigned long long)ck->lost_events, ck->lost_markers && !ck->lost_events ?
		" (lost markers without a count: unknown)" : "", secs(tl, tl->last));
	if (!tl->named_states)
		fputs("<p class=\"blind\">Blind spot: this log does not say which D-state a suspended "
		      "interval was in (the kernel's tracepoints cannot: vfio-pci's suspend callback runs "
		      "before the PCI core picks the state); such intervals are grey. "
		      "<code>vfiopm-trace --json</code> records it.</p>\n", f);
	if (ck->lost_events || ck->lost_markers)
		fputs("<p class=\"blind\">Events were lost: bands, the count and the markers around "
		      "the losses are incomplete.</p>\n", f);
	fprintf(f, "<p class=\"meta\">One pixel column is %.6f s; what falls within one is merged: a "
		"band shows the state held longest, the count line its range, a marker the first "
		"event and how many more.</p>\n", (double)tl->width * c.per / 1e9 / c.px);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
		LABEL_W + TL_COLS + 30, h);
	for (size_t i = 0; i < tl->ndevs; i++) {
		const struct tl_dev *d = &tl->devs[i];
		int y = (int)i * LANE_H;

		fprintf(f, "<g class=\"lane\" data-dev=\"%s\">\n<text class=\"name\" x=\"4\" y=\"%d\">%s</text>\n",
			d->name, y + BAND_Y + 13, d->name);
		fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%d\">count</text>\n", LABEL_W - 20, y + USE_Y + 22);
		bands(f, &c, d, y);
		usage_line(f, &c, d, y);
		markers(f, &c, d, y);
		sessions(f, &c, d, y);
		flags(f, &c, ck, d->name, y);
		if (d->sess_dropped)
			fprintf(f, "<text class=\"axis\" x=\"%d\" y=\"%d\">%zu sessions not drawn</text>\n",
				LABEL_W + TL_COLS, y + SESS_Y + 20, d->sess_dropped);
		fputs("</g>\n", f);
	}
	axis(f, &c, (int)tl->ndevs * LANE_H + 4);
	fputs("</svg>\n", f);
}

int timeline_write(const char *path, const struct input *ins, const struct timeline *tls, size_t n)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return errno;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>vfiopm timeline</title><style>%s</style></head><body>\n"
		"<h1>vfiopm-check timeline</h1>\n", css);
	legend(f);
	for (size_t i = 0; i < n; i++)
		if (!ins[i].io_err && !ins[i].usage_err)
			section(f, &ins[i], &tls[i]);
	fputs("</body></html>\n", f);
	err = ferror(f) ? EIO : 0;
	if (fclose(f) && !err)
		err = errno;
	return err;
}
