/* SPDX-License-Identifier: GPL-2.0 */
/* Streaming line reader: fixed buffer, never the whole file. */
#ifndef VFIOPM_READER_H
#define VFIOPM_READER_H

#include <stddef.h>

struct reader {
	const char *name;
	int fd;
	char *buf;
	size_t cap, start, end;
	int eof;
	int err;		/* errno of a failed read */
	int partial_last;	/* the input did not end with a newline */
	int skipping;		/* inside the rest of an over-long line */
	unsigned long long long_lines;	/* lines longer than the buffer, cut */
	unsigned long long bytes;
};

/* "-" is stdin. Returns 0 or an errno. */
int reader_open(struct reader *r, const char *path, size_t bufsize);
/* 1: a line (without its newline or trailing '\r'), 0: end of input, -1: read error (r->err). */
int reader_next(struct reader *r, const char **line, size_t *len);
void reader_close(struct reader *r);

#endif
