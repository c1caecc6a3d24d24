// SPDX-License-Identifier: GPL-2.0
/* ftrace text: the "trace" file (with header), trace_pipe, and trace-cmd report. */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int starts(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);

	return n >= l && !memcmp(s, p, l);
}

static uint64_t num_after(const char *s, size_t n, const char *key, int *found)
{
	const char *p = find_mem(s, n, key), *end = s + n;
	uint64_t v = 0;

	*found = 0;
	if (!p)
		return 0;
	for (p += strlen(key); p < end && *p == ' '; p++)
		;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		*found = 1;
	}
	return v;
}

/* "# entries-in-buffer/entries-written: 140080/250880   #P:4": the difference was overwritten. */
static void entries_header(const char *s, size_t n, struct parsed *out)
{
	const char *p = find_mem(s, n, "entries-written:");
	char buf[64];
	unsigned long long inbuf, written;
	size_t l;

	if (!p)
		return;
	p += strlen("entries-written:");
	l = (size_t)(s + n - p) < sizeof(buf) - 1 ? (size_t)(s + n - p) : sizeof(buf) - 1;
	memcpy(buf, p, l);
	buf[l] = 0;
	{
		char *e;

		inbuf = strtoull(buf, &e, 10);
		if (*e != '/')
			return;
		written = strtoull(e + 1, NULL, 10);
	}
	if (written > inbuf) {
		out->kind = LK_LOST;
		out->lost = written - inbuf;
		out->why = "ring buffer overwritten (entries-written > entries-in-buffer)";
	}
}

void parse_ftrace(const char *s, size_t n, struct parsed *out)
{
	int found;

	out->kind = LK_META;
	out->why = NULL;
	text_trim(&s, &n);
	if (!n)
		return;
	if (*s == '#') {
		if (starts(s, n, "##### CPU") && find_mem(s, n, "buffer started")) {
			out->kind = LK_LOST;
			out->lost = 0;
			out->why = "a CPU buffer starts late (its older events were overwritten)";
		} else {
			entries_header(s, n, out);
		}
		return;
	}
	/* stack traces (options/stacktrace, trace-cmd -T) name vfio functions: not events */
	if ((*s == '=' || *s == '<') && (starts(s, n, "=> ") || starts(s, n, "<stack trace") ||
					  starts(s, n, "<user stack trace")))
		return;
	if (*s != 'C' && *s != 'c' && *s != 'v')	/* the common case: an event line */
		goto event;
	if (starts(s, n, "CPU:")) {
		if (find_mem(s, n, "[LOST ")) {	/* ftrace */
			out->kind = LK_LOST;
			out->lost = num_after(s, n, "[LOST ", &found);
			out->why = "ftrace [LOST n EVENTS] marker";
			return;
		}
		if (find_mem(s, n, "EVENTS DROPPED]")) {	/* trace-cmd report */
			out->kind = LK_LOST;
			out->lost = num_after(s, n, "[", &found);
			out->why = "trace-cmd [EVENTS DROPPED] marker";
			return;
		}
		if (find_mem(s, n, "[SUBBUFFER START]"))
			return;
	}
	/* trace-cmd report banners: "cpus=2", "version = 6", "CPU 1 is empty" */
	if (starts(s, n, "cpus=") || starts(s, n, "version") ||
	    (starts(s, n, "CPU ") && find_mem(s, n, " is empty")))
		return;
event:
	if (text_line(s, n, 0, out))
		text_unparsed(s, n, out);
}
