// SPDX-License-Identifier: GPL-2.0
/* perf script default text: "comm tid [cpu] ts: sys:event: payload". */
#include <string.h>

#include "parse.h"

static uint64_t number_after(const char *p, const char *end)
{
	uint64_t v = 0;

	while (p < end && (*p == ' ' || *p == ':'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* perf script -g: "\t    ffffffffc0a1b2c3 vfio_pci_core_ioctl+0x53 ([kernel.kallsyms])" */
static int callchain(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
		i++;
	return i >= 4 && i < n && s[i] == ' ' && s[n - 1] == ')';
}

void parse_perf(const char *s, size_t n, struct parsed *out)
{
	const char *q;

	out->kind = LK_META;
	out->why = NULL;
	text_trim(&s, &n);
	if (!n)
		return;
	/* perf script --show-lost-events: "... PERF_RECORD_LOST: id:1: lost:123" */
	if ((q = find_mem(s, n, "PERF_RECORD_LOST"))) {
		const char *l = find_mem(q, (size_t)(s + n - q), "lost");

		out->kind = LK_LOST;
		out->lost = l ? number_after(l + 4, s + n) : 0;
		if (l && find_mem(l, (size_t)(s + n - l), "samples"))
			out->lost = number_after(l + strlen("lost samples"), s + n);
		out->why = "perf PERF_RECORD_LOST record";
		return;
	}
	/* perf's end-of-run warning, if stderr went into the log */
	if ((q = find_mem(s, n, "events and lost "))) {
		uint64_t chunks = number_after(q + strlen("events and lost "), s + n);

		if (chunks) {
			out->kind = LK_LOST;
			out->lost = 0;
			out->why = "perf reported lost chunks";
		}
		return;
	}
	if (*s == '#') {
		if ((q = find_mem(s, n, "Total Lost Samples:")) &&
		    number_after(q + strlen("Total Lost Samples:"), s + n)) {
			out->kind = LK_LOST;
			out->lost = number_after(q + strlen("Total Lost Samples:"), s + n);
			out->why = "perf header: lost samples";
		}
		return;
	}
	if (callchain(s, n))
		return;
	if (text_line(s, n, 1, out))
		text_unparsed(s, n, out);
}
