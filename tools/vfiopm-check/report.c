// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "report.h"

const char *const verdict_names[] = { "balanced", "imbalance", "inconclusive" };

static const char *exit_name(int code)
{
	switch (code) {
	case 0: return "balanced";
	case 1: return "imbalance";
	case 2: return "inconclusive";
	case 64: return "usage error";
	case 74: return "I/O error";
	default: return "error";
	}
}

static int case_verdict(const struct checker *ck, const char *dev);

static void finding_human(FILE *out, const struct input *in, const struct finding *f)
{
	int v = finding_counts(&in->ck, f);
	char t[32];

	fprintf(out, "    %s %s", v == 1 ? "FAIL" : v == 2 ? "INCONCLUSIVE" : "note",
		fkind_names[f->kind]);
	if (f->site[0] && f->pairing != P_LOG)
		fprintf(out, " [%s]", f->site);
	else if (f->pairing != P_LOG)
		fprintf(out, " [%s]", pairing_names[f->pairing]);
	if (f->pid >= 0)
		fprintf(out, " task %s-%d", f->comm[0] ? f->comm : "?", f->pid);
	if (f->ts) {
		fmt_ts(t, sizeof(t), f->ts);
		fprintf(out, " at %s", t);
	}
	if (f->line)
		fprintf(out, " (line %ld)", f->line);
	if (f->count >= 0)
		fprintf(out, " usage_count=%d", f->count);
	fprintf(out, ": %s", f->msg);
	if (f->times > 1)
		fprintf(out, " [x%llu]", (unsigned long long)f->times);
	if (f->sev == SEV_IMBALANCE && v == 2)
		fprintf(out, " (not definitive: the log is incomplete)");
	fputc('\n', out);
}

static void residency_human(FILE *out, const struct residency *r)
{
	uint64_t total = r->open_ns;
	uint64_t n = 0;

	for (int s = 0; s < RES__N; s++) {
		total += r->ns[s];
		n += r->n[s];
	}
	if (!n && !r->open)
		return;
	fprintf(out, "    low power: %.3f s in %llu suspended intervals", total / 1e9,
		(unsigned long long)(n + (uint64_t)r->open));
	if (residency_has_states(r))
		fprintf(out, "; D3hot %.3f s (%llu), D3cold %.3f s (%llu)",
			r->ns[RES_D3HOT] / 1e9, (unsigned long long)r->n[RES_D3HOT],
			r->ns[RES_D3COLD] / 1e9, (unsigned long long)r->n[RES_D3COLD]);
	if (r->n[RES_UNKNOWN])
		fprintf(out, "; %.3f s (%llu) in a D-state this log does not name%s",
			r->ns[RES_UNKNOWN] / 1e9, (unsigned long long)r->n[RES_UNKNOWN],
			residency_has_states(r) ? "" : " (vfiopm-trace --json records it)");
	if (r->open)
		fprintf(out, "; suspended at the end of the log (%.3f s)", r->open_ns / 1e9);
	if (n + (uint64_t)r->open < r->suspends)
		fprintf(out, "; %llu suspends without their resume (lost)",
			(unsigned long long)(r->suspends - n - (uint64_t)r->open));
	fputc('\n', out);
}

static void residency_json(FILE *out, const struct residency *r)
{
	fprintf(out, ",\"residency\":{\"suspends\":%llu,\"resumes\":%llu",
		(unsigned long long)r->suspends, (unsigned long long)r->resumes);
	for (int s = 0; s < RES__N; s++)
		fprintf(out, ",\"%s_ns\":%llu,\"%s_intervals\":%llu", res_state_names[s],
			(unsigned long long)r->ns[s], res_state_names[s], (unsigned long long)r->n[s]);
	fprintf(out, ",\"suspended_at_end\":%s,\"suspended_at_end_ns\":%llu}",
		r->open ? "true" : "false", (unsigned long long)r->open_ns);
}

static void findings_for(FILE *out, const struct input *in, const char *dev)
{
	for (size_t i = 0; i < in->ck.nf; i++) {
		const struct finding *f = &in->ck.f[i];

		if (dev ? !strcmp(f->dev, dev) : !f->dev[0])
			finding_human(out, in, f);
	}
}

void report_human(FILE *out, struct input *ins, size_t n, int exit_code)
{
	for (size_t k = 0; k < n; k++) {
		struct input *in = &ins[k];
		const struct checker *ck = &in->ck;

		fprintf(out, "%s (%s): ", in->name, fmt_names[in->fmt]);
		if (in->io_err || in->usage_err) {
			fprintf(out, "error: %s\n", in->err);
			continue;
		}
		fprintf(out, "%llu lines: %llu vfio events, %llu other events, %llu unknown vfio events, "
			"%llu unparsed, %llu malformed, %llu lost markers (%llu events lost)",
			in->lines, in->kinds[LK_EVENT], in->kinds[LK_OTHER], in->kinds[LK_UNKNOWN_VFIO],
			in->kinds[LK_GARBAGE], in->kinds[LK_BAD_VFIO], in->kinds[LK_LOST],
			(unsigned long long)ck->lost_events);
		if (ck->filtered)
			fprintf(out, ", %llu filtered out by -d", (unsigned long long)ck->filtered);
		if (ck->late)
			fprintf(out, ", %llu out of order beyond the reorder window",
				(unsigned long long)ck->late);
		if (in->long_lines)
			fprintf(out, ", %llu lines over 1 MiB cut (counted as unparsed)", in->long_lines);
		fputc('\n', out);
		for (size_t i = 0; i < ck->ndevs; i++) {
			const struct dev_state *d = &ck->devs[i];

			fprintf(out, "  %s: %s (%llu events, %llu gets, %llu puts, usage_count %d "
				"after the last event)\n", d->name,
				verdict_names[device_verdict(ck, d->name)],
				(unsigned long long)d->events, (unsigned long long)d->gets,
				(unsigned long long)d->puts, d->last_obs);
			residency_human(out, &d->res);
			findings_for(out, in, d->name);
		}
		for (size_t i = 0; i < ck->nf; i++)	/* -d devices that never showed up */
			if (ck->f[i].dev[0] && ck->f[i].kind == F_NO_EVENTS) {
				fprintf(out, "  %s: inconclusive\n", ck->f[i].dev);
				finding_human(out, in, &ck->f[i]);
			}
		for (size_t i = 0; i < ck->nf; i++)
			if (!ck->f[i].dev[0]) {
				fprintf(out, "  log: %s\n", verdict_names[case_verdict(ck, NULL)]);
				findings_for(out, in, NULL);
				break;
			}
		if (ck->suppressed)
			fprintf(out, "  %llu more findings not stored\n", (unsigned long long)ck->suppressed);
	}
	fprintf(out, "result: %s (exit %d)\n", exit_name(exit_code), exit_code);
}

static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void finding_json(FILE *out, const struct input *in, const struct finding *f)
{
	int v = finding_counts(&in->ck, f);

	fprintf(out, "{\"severity\":\"%s\",\"counts_as\":\"%s\",\"kind\":\"%s\",\"definitive\":%s,"
		"\"dev\":", severity_names[f->sev], v ? verdict_names[v] : "info",
		fkind_names[f->kind], f->definitive ? "true" : "false");
	if (f->dev[0])
		jstr(out, f->dev);
	else
		fputs("null", out);
	fprintf(out, ",\"pairing\":\"%s\",\"site\":", pairing_names[f->pairing]);
	jstr(out, f->site);
	fprintf(out, ",\"pid\":%d,\"comm\":", f->pid);
	jstr(out, f->comm);
	fprintf(out, ",\"ts\":%llu,\"age\":", (unsigned long long)f->ts);
	if (f->has_age)
		fprintf(out, "%llu", (unsigned long long)f->age);
	else
		fputs("null", out);
	fprintf(out, ",\"usage_count\":%d,\"line\":%ld,\"times\":%llu,\"message\":", f->count,
		f->line, (unsigned long long)f->times);
	jstr(out, f->msg);
	fputc('}', out);
}

void report_json(FILE *out, struct input *ins, size_t n, int exit_code)
{
	fprintf(out, "{\"tool\":\"vfiopm-check\",\"schema\":1,\"result\":\"%s\",\"exit\":%d,\"inputs\":[",
		exit_name(exit_code), exit_code);
	for (size_t k = 0; k < n; k++) {
		struct input *in = &ins[k];
		const struct checker *ck = &in->ck;

		fprintf(out, "%s{\"file\":", k ? "," : "");
		jstr(out, in->name);
		fprintf(out, ",\"format\":\"%s\",\"error\":", fmt_names[in->fmt]);
		if (in->io_err || in->usage_err) {
			jstr(out, in->err);
			fputs("}", out);
			continue;
		}
		fprintf(out, "null,\"verdict\":\"%s\",\"lines\":%llu,\"long_lines\":%llu,\"line_kinds\":{",
			verdict_names[checker_verdict(ck)], in->lines, in->long_lines);
		for (int i = 0; i < LK__N; i++) {
			static const char *const keys[LK__N] = {
				"meta", "event", "lost", "other_event", "unknown_vfio_event",
				"malformed_vfio", "unparsed"
			};

			fprintf(out, "%s\"%s\":%llu", i ? "," : "", keys[i], in->kinds[i]);
		}
		fprintf(out, "},\"events\":%llu,\"filtered\":%llu,\"late\":%llu,\"lost_markers\":%llu,"
			"\"lost_events\":%llu,\"devices\":[", (unsigned long long)ck->events,
			(unsigned long long)ck->filtered, (unsigned long long)ck->late,
			(unsigned long long)ck->lost_markers, (unsigned long long)ck->lost_events);
		for (size_t i = 0; i < ck->ndevs; i++) {
			const struct dev_state *d = &ck->devs[i];

			fprintf(out, "%s{\"dev\":", i ? "," : "");
			jstr(out, d->name);
			fprintf(out, ",\"verdict\":\"%s\",\"events\":%llu,\"gets\":%llu,\"puts\":%llu,"
				"\"failed_gets\":%llu,\"usage_count_end\":%d,"
				"\"first_ts\":%llu,\"last_ts\":%llu",
				verdict_names[device_verdict(ck, d->name)], (unsigned long long)d->events,
				(unsigned long long)d->gets, (unsigned long long)d->puts,
				(unsigned long long)d->failed_gets, d->last_obs,
				(unsigned long long)d->first_ts, (unsigned long long)d->last_ts);
			residency_json(out, &d->res);
			fputc('}', out);
		}
		fputs("],\"findings\":[", out);
		for (size_t i = 0; i < ck->nf; i++) {
			fputs(i ? "," : "", out);
			finding_json(out, in, &ck->f[i]);
		}
		fprintf(out, "],\"suppressed_findings\":%llu}", (unsigned long long)ck->suppressed);
	}
	fputs("]}\n", out);
}

void xml_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fputc(*s, out);
			else
				fputc('?', out);
		}
	}
}

/* Verdict of one device, or of the log-level findings alone (dev NULL). */
static int case_verdict(const struct checker *ck, const char *dev)
{
	int imb = 0, inc = 0;

	if (dev)
		return device_verdict(ck, dev);
	for (size_t i = 0; i < ck->nf; i++) {
		int v = ck->f[i].dev[0] ? 0 : finding_counts(ck, &ck->f[i]);

		imb |= v == 1;
		inc |= v == 2;
	}
	return imb ? 1 : inc || ck->suppressed ? 2 : 0;
}

static void junit_case(FILE *out, const struct input *in, const char *dev)
{
	const struct checker *ck = &in->ck;
	int v = case_verdict(ck, dev);

	fputs("    <testcase classname=\"", out);
	xml_str(out, in->name);
	fputs("\" name=\"", out);
	xml_str(out, dev ? dev : "log");
	fputs("\">\n", out);
	if (v) {
		fprintf(out, "      <%s type=\"%s\" message=\"%s\">", v == 1 ? "failure" : "error",
			verdict_names[v], v == 1 ? "runtime-PM references unbalanced" :
			"balance cannot be asserted");
		for (size_t i = 0; i < ck->nf; i++) {
			const struct finding *f = &ck->f[i];

			if (dev && f->dev[0] && strcmp(f->dev, dev))
				continue;
			if (!dev && f->dev[0])
				continue;
			if (!finding_counts(ck, f))
				continue;
			xml_str(out, fkind_names[f->kind]);
			fputs(" [", out);
			xml_str(out, f->site[0] ? f->site : pairing_names[f->pairing]);
			fprintf(out, "] line %ld: ", f->line);
			xml_str(out, f->msg);
			fputs("&#10;", out);
		}
		fprintf(out, "</%s>\n", v == 1 ? "failure" : "error");
	}
	fputs("    </testcase>\n", out);
}

int report_junit(const char *path, struct input *ins, size_t n)
{
	FILE *out = fopen(path, "w");

	if (!out)
		return errno;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vfiopm-check\">\n", out);
	for (size_t k = 0; k < n; k++) {
		struct input *in = &ins[k];
		const struct checker *ck = &in->ck;
		size_t cases = ck->ndevs;
		int logcase = 0;

		for (size_t i = 0; i < ck->nf; i++) {
			logcase |= !ck->f[i].dev[0];
			cases += ck->f[i].dev[0] && ck->f[i].kind == F_NO_EVENTS;
		}
		logcase |= !ck->ndevs || in->io_err || in->usage_err;
		fputs("  <testsuite name=\"", out);
		xml_str(out, in->name);
		fprintf(out, "\" tests=\"%zu\">\n", cases + (size_t)logcase);
		if (in->io_err || in->usage_err) {
			fputs("    <testcase classname=\"", out);
			xml_str(out, in->name);
			fputs("\" name=\"log\">\n      <error type=\"error\" message=\"", out);
			xml_str(out, in->err);
			fputs("\"/>\n    </testcase>\n", out);
		} else {
			for (size_t i = 0; i < ck->ndevs; i++)
				junit_case(out, in, ck->devs[i].name);
			for (size_t i = 0; i < ck->nf; i++)
				if (ck->f[i].dev[0] && ck->f[i].kind == F_NO_EVENTS)
					junit_case(out, in, ck->f[i].dev);
			if (logcase)
				junit_case(out, in, NULL);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	if (fclose(out))
		return errno ? errno : EIO;
	return 0;
}
