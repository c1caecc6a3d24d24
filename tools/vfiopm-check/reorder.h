/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small sorted window that puts events from different CPUs back in timestamp
 * order. Logs are nearly sorted, so an insert is almost always an append.
 */
#ifndef VFIOPM_REORDER_H
#define VFIOPM_REORDER_H

#include "event.h"

struct reorder {
	struct event *ring;
	size_t cap, head, n;
	uint64_t window_ns, max_ts;
	uint64_t late;		/* events older than what was already released */
	uint64_t released_ts;
	int released_any;
};

/* cap must be a power of two. */
int reorder_init(struct reorder *r, size_t cap, uint64_t window_ns);
void reorder_free(struct reorder *r);
void reorder_push(struct reorder *r, const struct event *ev);
/* Next event that is due (or any, when draining); NULL if none. Valid until the next call. */
const struct event *reorder_pop(struct reorder *r, int drain);

#endif
