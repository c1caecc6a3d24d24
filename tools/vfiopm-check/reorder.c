// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "reorder.h"

int reorder_init(struct reorder *r, size_t cap, uint64_t window_ns)
{
	if (!cap || (cap & (cap - 1)))
		return -1;	/* a power of two: indexes wrap with a mask, not a division */
	r->ring = calloc(cap, sizeof(*r->ring));
	r->cap = cap;
	r->head = r->n = 0;
	r->window_ns = window_ns;
	r->max_ts = r->late = r->released_ts = 0;
	r->released_any = 0;
	return r->ring ? 0 : -1;
}

void reorder_free(struct reorder *r)
{
	free(r->ring);
	r->ring = NULL;
}

static int before(const struct event *a, const struct event *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

/* Caller pops until n < cap before pushing. */
void reorder_push(struct reorder *r, const struct event *ev)
{
	size_t i = r->n;

	if (r->released_any && ev->ts < r->released_ts)
		r->late++;
	while (i > 0 && before(ev, &r->ring[(r->head + i - 1) & (r->cap - 1)])) {
		r->ring[(r->head + i) & (r->cap - 1)] = r->ring[(r->head + i - 1) & (r->cap - 1)];
		i--;
	}
	r->ring[(r->head + i) & (r->cap - 1)] = *ev;
	r->n++;
	if (ev->ts > r->max_ts)
		r->max_ts = ev->ts;
}

const struct event *reorder_pop(struct reorder *r, int drain)
{
	const struct event *ev;

	if (!r->n)
		return NULL;
	ev = &r->ring[r->head];
	if (!drain && r->n < r->cap && r->max_ts - ev->ts < r->window_ns)
		return NULL;
	r->head = (r->head + 1) & (r->cap - 1);
	r->n--;
	r->released_ts = ev->ts;
	r->released_any = 1;
	return ev;
}
