// SPDX-License-Identifier: GPL-2.0
/* Format auto-detection, decided by the first line that tells. */
#include <string.h>

#include "parse.h"

const char *const fmt_names[] = { "unknown", "ftrace", "perf", "json", "record" };

enum fmt fmt_from_name(const char *s)
{
	for (int f = FMT_FTRACE; f <= FMT_JSON; f++)
		if (!strcmp(s, fmt_names[f]))
			return (enum fmt)f;
	return FMT_UNKNOWN;
}

enum fmt detect_line(const char *s, size_t n)
{
	struct text_hdr h;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (!n)
		return FMT_UNKNOWN;
	if (*s == '{')
		return FMT_JSON;
	if ((n >= 9 && !memcmp(s, "# tracer:", 9)) || (n >= 5 && !memcmp(s, "cpus=", 5)) ||
	    (n >= 4 && !memcmp(s, "CPU:", 4)))
		return FMT_FTRACE;
	if (*s == '#')
		return FMT_UNKNOWN;
	if (!text_header(s, n, 0, &h))
		return FMT_FTRACE;
	if (!text_header(s, n, 1, &h))
		return FMT_PERF;
	return FMT_UNKNOWN;
}

void parse_line(enum fmt f, const char *s, size_t n, struct parsed *out)
{
	switch (f) {
	case FMT_FTRACE:
		parse_ftrace(s, n, out);
		break;
	case FMT_PERF:
		parse_perf(s, n, out);
		break;
	case FMT_JSON:
		parse_json(s, n, out);
		break;
	default:
		out->kind = LK_GARBAGE;
		out->why = "format unknown";
	}
}
