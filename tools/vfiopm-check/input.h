/* SPDX-License-Identifier: GPL-2.0 */
/* One input log: lines -> format detection -> parser -> reorder window -> checker. */
#ifndef VFIOPM_INPUT_H
#define VFIOPM_INPUT_H

#include <stdio.h>

#include "balance.h"
#include "parse.h"
#include "reorder.h"

struct input_opts {
	enum fmt force;
	struct check_opts check;
	uint64_t window_ns;
	size_t bufsize;		/* reader buffer, 0: 1 MiB (longer lines are cut) */
	int verbose;
	FILE *vout;		/* where -v lists ignored lines */
};

struct input {
	const char *name;
	const struct input_opts *o;
	enum fmt fmt;
	unsigned long long lines, kinds[LK__N], long_lines;
	long first_content;	/* line number of the first non-meta line */
	uint64_t seq;
	struct reorder ro;
	struct checker ck;
	int io_err;		/* errno: the file could not be opened or read */
	int usage_err;		/* the format could not be recognised */
	char err[160];
};

void input_begin(struct input *in, const char *name, const struct input_opts *o);
void input_line(struct input *in, const char *s, size_t n);
/* what input_line does once a line is parsed; s, n is what -v shows of it */
void input_parsed(struct input *in, struct parsed *p, const char *s, size_t n);
/* A vfiopm-trace record file (-w): read into in, 1; not one, 0 (nothing read). */
int input_run_record(struct input *in, const char *path, const struct input_opts *o);
void input_end(struct input *in, int partial_last, unsigned long long long_lines);
void input_free(struct input *in);
/* Read a whole file (or "-") through input_*; errors are recorded in in. */
void input_run(struct input *in, const char *path, const struct input_opts *o);

extern const char *const kind_names[LK__N];

#endif
