/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the cmocka unit tests. */
#ifndef VFIOPM_TEST_UTIL_H
#define VFIOPM_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "balance.h"
#include "input.h"
#include "parse.h"

static inline struct parsed parse_str(enum fmt f, const char *s)
{
	struct parsed p;

	memset(&p, 0, sizeof(p));
	parse_line(f, s, strlen(s), &p);
	return p;
}

/* Run a whole log given as a string through input_*; the caller frees with input_free. */
static inline void run_text(struct input *in, const struct input_opts *o, const char *text)
{
	const char *p = text;

	input_begin(in, "test", o);
	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!nl) {
			input_line(in, p, strlen(p));
			input_end(in, 1, 0);
			return;
		}
		input_line(in, p, (size_t)(nl - p));
		p = nl + 1;
	}
	input_end(in, 0, 0);
}

static inline struct input_opts default_opts(void)
{
	struct input_opts o;

	memset(&o, 0, sizeof(o));
	o.window_ns = 10000000;
	return o;
}

static inline int has_finding(const struct checker *ck, enum fkind k)
{
	for (size_t i = 0; i < ck->nf; i++)
		if (ck->f[i].kind == k)
			return 1;
	return 0;
}

static inline const struct finding *get_finding(const struct checker *ck, enum fkind k)
{
	for (size_t i = 0; i < ck->nf; i++)
		if (ck->f[i].kind == k)
			return &ck->f[i];
	return NULL;
}

#endif
