// SPDX-License-Identifier: GPL-2.0
/* Folding events into the timeline's buckets (timeline.h); the page is timeline_html.c. */
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

#define SESSIONS_MAX 4096

static void bucket_clear(struct tl_bucket *b)
{
	memset(b, 0, sizeof(*b));
	b->umin = 1 << 30;
	b->umax = -(1 << 30);
}

void timeline_bucket_merge(struct tl_bucket *dst, const struct tl_bucket *a, const struct tl_bucket *b)
{
	struct tl_bucket m = *a;

	m.umin = a->umin < b->umin ? a->umin : b->umin;
	m.umax = a->umax > b->umax ? a->umax : b->umax;
	if (b->umin <= b->umax)
		m.ulast = b->ulast;
	for (int s = 0; s < TS__N; s++)
		m.ns[s] += b->ns[s];
	for (int k = 0; k < MK__N; k++) {
		if (!m.marks[k])
			m.ref[k] = b->ref[k];
		m.marks[k] += b->marks[k];
	}
	*dst = m;
}

/* Halve the resolution: bucket i takes 2i and 2i+1. */
static void fold(struct timeline *tl)
{
	for (size_t d = 0; d < tl->ndevs; d++) {
		struct tl_bucket *b = tl->devs[d].b;

		for (int i = 0; i < TL_BUCKETS / 2; i++)
			timeline_bucket_merge(&b[i], &b[2 * i], &b[2 * i + 1]);
		for (int i = TL_BUCKETS / 2; i < TL_BUCKETS; i++)
			bucket_clear(&b[i]);
	}
	tl->width *= 2;
}

static int idx(const struct timeline *tl, uint64_t ts)
{
	uint64_t i = ts > tl->t0 ? (ts - tl->t0) / tl->width : 0;

	return i >= TL_BUCKETS ? TL_BUCKETS - 1 : (int)i;
}

static struct tl_dev *dev_of(struct timeline *tl, const char *name, uint64_t ts)
{
	struct tl_dev *d;

	for (size_t i = 0; i < tl->ndevs; i++)
		if (!strcmp(tl->devs[i].name, name))
			return &tl->devs[i];
	d = realloc(tl->devs, (tl->ndevs + 1) * sizeof(*d));
	if (!d)
		return NULL;
	tl->devs = d;
	d = &tl->devs[tl->ndevs];
	memset(d, 0, sizeof(*d));
	d->b = malloc(TL_BUCKETS * sizeof(*d->b));
	if (!d->b)
		return NULL;
	tl->ndevs++;
	for (int i = 0; i < TL_BUCKETS; i++)
		bucket_clear(&d->b[i]);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->state = -1;
	d->since = ts;
	return d;
}

/* [from, to) spent in state s, spread over the buckets it covers */
static void fill(const struct timeline *tl, struct tl_dev *d, int s, uint64_t from, uint64_t to)
{
	for (int i = idx(tl, from); from < to; i++) {
		uint64_t end = tl->t0 + (uint64_t)(i + 1) * tl->width;

		if (end > to || i == TL_BUCKETS - 1)
			end = to;
		d->b[i].ns[s] += end - from;
		from = end;
	}
}

static int resumed_state(const struct event *ev, struct timeline *tl)
{
	if (ev->from == DSTATE_D3HOT || ev->from == DSTATE_D3COLD)
		tl->named_states = 1;
	return ev->from == DSTATE_D3HOT ? TS_D3HOT : ev->from == DSTATE_D3COLD ? TS_D3COLD : TS_LOW;
}

static void mark(struct tl_bucket *b, int k, const struct event *ev)
{
	if (!b->marks[k]++) {
		b->ref[k].line = ev->line;
		b->ref[k].pid = ev->pid;
		b->ref[k].ts = ev->ts;
		snprintf(b->ref[k].comm, sizeof(b->ref[k].comm), "%s", ev->comm);
	}
}

static void session(struct tl_dev *d, const struct event *ev)
{
	struct tl_session *s;

	if (ev->type == EV_PCI_GET && ev->reason == R_ENABLE && ev->ret == 0) {
		if (d->nsess == SESSIONS_MAX) {
			d->sess_dropped++;
			return;
		}
		if (d->nsess == d->sesscap) {
			size_t cap = d->sesscap ? 2 * d->sesscap : 16;

			s = realloc(d->sess, cap * sizeof(*s));
			if (!s)
				return;
			d->sess = s;
			d->sesscap = cap;
		}
		s = &d->sess[d->nsess++];
		memset(s, 0, sizeof(*s));
		s->pid = ev->pid;
		s->start = ev->ts;
		snprintf(s->comm, sizeof(s->comm), "%s", ev->comm);
		return;
	}
	if (ev->type != EV_PCI_PUT || ev->reason != R_DISABLE)
		return;
	/* the closer's own session, else the oldest still open */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->nsess; i++)
			if (!d->sess[i].end && (pass || d->sess[i].pid == ev->pid)) {
				d->sess[i].end = ev->ts;
				return;
			}
}

void timeline_observe(void *ctx, const struct event *ev)
{
	struct timeline *tl = ctx;
	struct tl_dev *d;
	struct tl_bucket *b;

	if (!tl->started) {
		tl->started = 1;
		tl->t0 = ev->ts;
		tl->width = 1000;
	}
	if (ev->ts < tl->t0)
		return;		/* before the first event: beyond the reorder window */
	while (ev->ts - tl->t0 >= tl->width * TL_BUCKETS)
		fold(tl);
	if (ev->ts > tl->last)
		tl->last = ev->ts;
	d = dev_of(tl, ev->dev, ev->ts);
	if (!d)
		return;
	tl->events++;
	b = &d->b[idx(tl, ev->ts)];
	if (ev->usage_count > -1000000) {
		b->umin = ev->usage_count < b->umin ? ev->usage_count : b->umin;
		b->umax = ev->usage_count > b->umax ? ev->usage_count : b->umax;
		b->ulast = ev->usage_count;
	}
	switch (ev->type) {
	case EV_RT_SUSPEND:	/* it was active until now */
		fill(tl, d, TS_D0, d->since, ev->ts);
		d->state = TS_LOW;
		d->since = ev->ts;
		break;
	case EV_RT_RESUME:	/* it was suspended until now */
		fill(tl, d, resumed_state(ev, tl), d->since, ev->ts);
		d->state = TS_D0;
		d->since = ev->ts;
		break;
	case EV_LP_ENTRY:
		if (ev->ret == 0)
			mark(b, ev->with_wakeup == 1 ? MK_ENTRY_WAKE : MK_ENTRY, ev);
		break;
	case EV_LP_EXIT:
		mark(b, ev->source == SRC_WAKE ? MK_EXIT_WAKE :
			ev->source == SRC_DISABLE ? MK_EXIT_DISABLE : MK_EXIT_IOCTL, ev);
		break;
	case EV_WAKE:
		mark(b, MK_WAKE, ev);
		break;
	default:
		session(d, ev);
		break;
	}
}

void timeline_end(struct timeline *tl)
{
	for (size_t i = 0; i < tl->ndevs; i++) {
		struct tl_dev *d = &tl->devs[i];

		if (d->state >= 0)
			fill(tl, d, d->state, d->since, tl->last);
	}
}

void timeline_free(struct timeline *tl)
{
	for (size_t i = 0; i < tl->ndevs; i++) {
		free(tl->devs[i].b);
		free(tl->devs[i].sess);
	}
	free(tl->devs);
}
