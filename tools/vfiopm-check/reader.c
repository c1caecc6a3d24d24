// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

int reader_open(struct reader *r, const char *path, size_t bufsize)
{
	memset(r, 0, sizeof(*r));
	r->name = path;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (r->fd < 0)
		return errno;
	r->buf = malloc(bufsize);
	if (!r->buf) {
		if (r->fd > 0)
			close(r->fd);
		return ENOMEM;
	}
	r->cap = bufsize;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return 0;
}

static int fill(struct reader *r)
{
	ssize_t n;

	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->err = errno;
		return -1;
	}
	if (!n)
		r->eof = 1;
	r->end += (size_t)n;
	r->bytes += (unsigned long long)n;
	return 0;
}

static void emit(struct reader *r, size_t from, size_t to, const char **line, size_t *len)
{
	*line = r->buf + from;
	*len = to - from;
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
}

int reader_next(struct reader *r, const char **line, size_t *len)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl) {
			size_t s = r->start, e = (size_t)(nl - r->buf);

			r->start = e + 1;
			if (r->skipping) {	/* rest of an over-long line */
				r->skipping = 0;
				continue;
			}
			emit(r, s, e, line, len);
			return 1;
		}
		if (r->eof) {
			if (r->start == r->end)
				return 0;
			r->partial_last = 1;
			emit(r, r->start, r->end, line, len);
			r->start = r->end;
			if (r->skipping)
				return 0;
			return 1;
		}
		if (r->start == 0 && r->end == r->cap) {
			/* a line longer than the buffer: hand out its start, drop the rest */
			r->start = r->end = 0;
			if (!r->skipping) {
				r->long_lines++;
				r->skipping = 1;
				emit(r, 0, r->cap, line, len);
				return 1;
			}
			continue;
		}
		if (fill(r))
			return -1;
	}
}

void reader_close(struct reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
}
