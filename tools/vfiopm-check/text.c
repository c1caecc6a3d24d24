// SPDX-License-Identifier: GPL-2.0
/* The line shape shared by ftrace (trace, trace_pipe), trace-cmd report and perf script. */
#include <string.h>

#include "parse.h"

const char *find_mem(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle));
}

void text_trim(const char **s, size_t *n)
{
	const char *p = *s, *end = *s + *n;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*s = p;
	*n = (size_t)(end - p);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Position of the "[123]" CPU field, or -1. */
static long find_cpu(const char *s, size_t n, int *cpu)
{
	const char *p = s, *end = s + n;

	for (;; p++) {
		const char *q;

		while (p < end && *p != '[')	/* it is near: a plain loop beats memchr */
			p++;
		if (p == end)
			return -1;
		q = p + 1;
		int v = 0;

		while (q < end && is_digit(*q) && q - p < 8)
			v = v * 10 + (*q++ - '0');
		if (q > p + 1 && q < end && *q == ']' && (q + 1 == end || q[1] == ' ')) {
			*cpu = v;
			return p - s;
		}
	}
}

static size_t token(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	return (size_t)(q - p);
}

static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

int text_header(const char *s, size_t n, int perf, struct text_hdr *h)
{
	const char *end = s + n, *p, *lim;
	long b = find_cpu(s, n, &h->cpu);
	int pid = 0, mul = 1;
	size_t t;

	if (b < 1)
		return -1;
	/* left of the CPU field, backwards: [(tgid)] pid[/tid] separator comm */
	p = s + b - 1;
	while (p > s && *p == ' ')
		p--;
	if (!perf && *p == ')') {
		while (p > s && *p != '(')
			p--;
		if (p == s)
			return -1;
		p--;
		while (p > s && *p == ' ')
			p--;
	}
	lim = p;
	while (p >= s && is_digit(*p) && lim - p < 9) {
		pid += (*p - '0') * mul;
		mul *= 10;
		p--;
	}
	if (p == lim || p < s)
		return -1;
	if (perf && *p == '/') {	/* "pid/tid": keep the tid */
		p--;
		while (p >= s && is_digit(*p))
			p--;
		if (p < s)
			return -1;
	}
	if (*p != (perf ? ' ' : '-'))
		return -1;
	h->pid = pid;
	lim = p;
	if (perf)
		while (lim > s && lim[-1] == ' ')
			lim--;
	h->comm = skip_sp(s, lim);
	h->comm_len = (size_t)(lim - h->comm);

	/* right of it: [flags] ts: name: payload */
	p = skip_sp(s + b + 1, end);
	while (p < end && *p != ']')
		p++;
	p = skip_sp(p + 1, end);
	t = token(p, end);
	if (t < 2 || p[t - 1] != ':' || parse_ts(p, t - 1, &h->ts)) {
		p = skip_sp(p + t, end);	/* that was the irq-info flags */
		t = token(p, end);
		if (t < 2 || p[t - 1] != ':' || parse_ts(p, t - 1, &h->ts))
			return -1;
	}
	p = skip_sp(p + t, end);
	t = token(p, end);
	if (t < 2 || p[t - 1] != ':')
		return -1;
	h->name = p;
	h->name_len = t - 1;
	p = skip_sp(p + t, end);
	h->payload = p;
	h->payload_len = (size_t)(end - p);
	return 0;
}

void text_event(const struct text_hdr *h, struct parsed *out)
{
	struct event *ev = &out->ev;
	const char *why;
	const char *name = h->name;
	size_t nl = h->name_len;
	const char *c = memchr(name, ':', nl);

	if (c) {	/* perf's "system:event" */
		nl -= (size_t)(c + 1 - name);
		name = c + 1;
	}
	event_init(ev);
	ev->type = ev_type_from_name(name, nl);
	if (ev->type == EV_NONE) {
		out->kind = is_vfio_name(name, nl) ? LK_UNKNOWN_VFIO : LK_OTHER;
		return;
	}
	ev->ts = h->ts;
	ev->pid = h->pid;
	ev->cpu = h->cpu;
	if (h->comm_len) {
		size_t l = h->comm_len < COMM_LEN - 1 ? h->comm_len : COMM_LEN - 1;

		memcpy(ev->comm, h->comm, l);
		ev->comm[l] = 0;
	}
	why = parse_payload(ev, h->payload, h->payload_len);
	out->kind = why ? LK_BAD_VFIO : LK_EVENT;
	out->why = why;
}

void text_unparsed(const char *s, size_t n, struct parsed *out)
{
	if (find_mem(s, n, "usage_count=") || find_mem(s, n, "vfio_pci_") ||
	    find_mem(s, n, "vfio_device_pm_") ||
	    (find_mem(s, n, "_count=") && find_mem(s, n, " ret="))) {
		out->kind = LK_BAD_VFIO;
		out->why = "unparseable line naming a vfio event";
	} else {
		out->kind = LK_GARBAGE;
		out->why = "not a trace line";
	}
}
