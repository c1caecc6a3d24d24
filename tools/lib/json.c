// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* JSON strings: quotes and backslashes escaped, control and non-ASCII bytes as \u00XX. */
#include "json.h"

size_t json_escape(char *buf, size_t n, const char *s)
{
	size_t len = 0;

	if (!n)
		return 0;
	len += (size_t)snprintf(buf, n, "\"");
	for (; *s && len < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			len += (size_t)snprintf(buf + len, n - len, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			len += (size_t)snprintf(buf + len, n - len, "\\u%04x", c);
		else
			len += (size_t)snprintf(buf + len, n - len, "%c", c);
	}
	if (len < n)
		len += (size_t)snprintf(buf + len, n - len, "\"");
	return len < n ? len : n - 1;
}

void json_str(FILE *f, const char *s)
{
	char buf[512];

	json_escape(buf, sizeof(buf), s);
	fputs(buf, f);
}
