// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The vfiopm record format: writer and reader (docs/record-format.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vfiopm-rec.h"

#define VFR_EV_NAME(name, value, json) [value] = json,
const char *const vfr_ev_names[VFR_EV__N] = { VFR_EVENT_TYPES(VFR_EV_NAME) };

_Static_assert(sizeof(struct vfr_event) == 104, "the v1 event layout");
_Static_assert(sizeof(struct vfr_header) == 368, "the v1 header layout");
_Static_assert(sizeof(struct vfr_device) == 72, "the v1 device layout");

static const char zeros[8];

static int put(struct vfr_writer *w, const void *p, size_t n)
{
	if (w->err)
		return -1;
	if (n && fwrite_unlocked(p, 1, n, w->f) != n) {
		w->err = errno ? errno : EIO;
		return -1;
	}
	w->bytes += n;
	return 0;
}

/* One record: header, then the parts (pointer, length) given, then padding. */
static int put_rec(struct vfr_writer *w, enum vfr_rec_type type, enum vfr_class c,
		   const void *a, size_t an, const void *b, size_t bn, const void *d, size_t dn)
{
	size_t len = sizeof(struct vfr_rec) + an + bn + dn, padded = (len + 7) & ~(size_t)7;
	struct vfr_rec r = { (uint32_t)padded, (uint16_t)type, (uint16_t)c };

	if (padded > VFR_MAX_REC) {
		w->err = EMSGSIZE;
		return -1;
	}
	w->records++;
	return put(w, &r, sizeof(r)) || put(w, a, an) || put(w, b, bn) || put(w, d, dn) ||
	       put(w, zeros, padded - len);
}

int vfr_write_header(struct vfr_writer *w, const struct vfr_header *h,
		     const struct vfr_device *devs)
{
	struct vfr_header hh = *h;

	memcpy(hh.magic, VFR_MAGIC, 8);
	hh.version = VFR_VERSION;
	hh.event_size = sizeof(struct vfr_event);
	hh.header_len = (uint16_t)(sizeof(hh) + h->ndevs * sizeof(*devs));
	return put(w, &hh, sizeof(hh)) || put(w, devs, h->ndevs * sizeof(*devs));
}

/* strings and their terminators; NULL is "" */
#define STR(s) ((s) ? (s) : ""), strlen((s) ? (s) : "") + 1

int vfr_write_event(struct vfr_writer *w, const struct vfr_event *e, const char *site,
		    const char *stack)
{
	/* the hot path: one record, one copy into the stdio buffer */
	char rec[sizeof(struct vfr_rec) + sizeof(*e) + 8] = {};

	if ((site && *site) || (stack && *stack)) {
		w->events++;
		return put_rec(w, VFR_REC_EVENT, 0, e, sizeof(*e), STR(site), STR(stack));
	}
	*(struct vfr_rec *)rec = (struct vfr_rec){ sizeof(rec), VFR_REC_EVENT, 0 };
	memcpy(rec + sizeof(struct vfr_rec), e, sizeof(*e));
	w->events++;
	w->records++;
	return put(w, rec, sizeof(rec));
}

int vfr_write_text(struct vfr_writer *w, enum vfr_class c, const char *json, size_t jn,
		   const char *human, size_t hn)
{
	char nul = 0;
	size_t len = sizeof(struct vfr_rec) + jn + 1 + hn + 1, padded = (len + 7) & ~(size_t)7;
	struct vfr_rec r = { (uint32_t)padded, VFR_REC_TEXT, (uint16_t)c };

	if (padded > VFR_MAX_REC) {
		w->err = EMSGSIZE;
		return -1;
	}
	w->records++;
	return put(w, &r, sizeof(r)) || put(w, json, jn) || put(w, &nul, 1) ||
	       put(w, human, hn) || put(w, &nul, 1) || put(w, zeros, padded - len);
}

int vfr_write_lost(struct vfr_writer *w, uint64_t ts, uint64_t count)
{
	struct vfr_lost l = { ts, count };

	return put_rec(w, VFR_REC_LOST, 0, &l, sizeof(l), NULL, 0, NULL, 0);
}

int vfr_write_trailer(struct vfr_writer *w, uint64_t lost, uint64_t end_ts)
{
	struct vfr_trailer t = { w->records, w->events, lost, end_ts };

	if (put_rec(w, VFR_REC_TRAILER, 0, &t, sizeof(t), NULL, 0, NULL, 0) || fflush(w->f)) {
		if (!w->err)
			w->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* ---- reading ---- */

int vfr_is_record(const void *buf, size_t n)
{
	return n >= 8 && !memcmp(buf, VFR_MAGIC, 8);
}

#define VFR_BLOCK (1 << 20)

/* n bytes from the reader's block into p, refilled from f as it runs out; 0 or -1 (short). */
static int take(struct vfr_reader *r, void *p, size_t n)
{
	char *dst = p;

	while (n) {
		size_t k = r->blk_len - r->blk_pos;

		if (!k) {
			r->blk_pos = 0;
			r->blk_len = fread(r->blk, 1, VFR_BLOCK, r->f);
			if (!r->blk_len)
				return -1;
			continue;
		}
		k = k < n ? k : n;
		memcpy(dst, r->blk + r->blk_pos, k);
		r->blk_pos += k;
		r->offset += k;
		dst += k;
		n -= k;
	}
	return 0;
}

/* n contiguous bytes at the read position, in the block (read on as needed); NULL at the end. */
static const char *peek(struct vfr_reader *r, size_t n)
{
	if (r->blk_len - r->blk_pos < n) {
		memmove(r->blk, r->blk + r->blk_pos, r->blk_len - r->blk_pos);
		r->blk_len -= r->blk_pos;
		r->blk_pos = 0;
		while (r->blk_len < n) {
			size_t k = fread(r->blk + r->blk_len, 1, VFR_BLOCK - r->blk_len, r->f);

			if (!k)
				return NULL;
			r->blk_len += k;
		}
	}
	return r->blk + r->blk_pos;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct vfr_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int check_header(struct vfr_reader *r)
{
	const struct vfr_header *h = &r->h;

	if (h->version == (VFR_VERSION << 8))
		return fail(r, "written on a machine of the other byte order");
	if (h->version != VFR_VERSION)
		return fail(r, "record format version %u; this tool reads version %d",
			    h->version, VFR_VERSION);
	if (h->header_len != sizeof(*h) + h->ndevs * sizeof(struct vfr_device))
		return fail(r, "corrupt header: length %u for %u devices", h->header_len,
			    h->ndevs);
	if (h->event_size < sizeof(struct vfr_event))
		return fail(r, "corrupt header: event size %u, want at least %zu", h->event_size,
			    sizeof(struct vfr_event));
	if (h->mode != VFR_MODE_FULL && h->mode != VFR_MODE_STOCK)
		return fail(r, "corrupt header: mode %u", h->mode);
	r->h.kernel[sizeof(h->kernel) - 1] = 0;
	r->h.blind[sizeof(h->blind) - 1] = 0;
	return 0;
}

int vfr_open(struct vfr_reader *r, FILE *f, const void *pre, size_t have)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->blk = malloc(VFR_BLOCK);
	if (!r->blk || have > VFR_BLOCK)
		return fail(r, "out of memory");
	memcpy(r->blk, pre, have);	/* the sniffed bytes come first */
	r->blk_len = have;
	if (take(r, &r->h, sizeof(r->h)))
		return fail(r, "cut inside the header: shorter than %zu bytes", sizeof(r->h));
	if (!vfr_is_record(r->h.magic, 8))
		return fail(r, "not a vfiopm record file (no magic)");
	if (check_header(r))
		return -1;
	r->devs = calloc(r->h.ndevs ? r->h.ndevs : 1, sizeof(*r->devs));
	if (!r->devs)
		return fail(r, "out of memory");
	if (take(r, r->devs, r->h.ndevs * sizeof(*r->devs)))
		return fail(r, "cut inside the device list (header of %u bytes)", r->h.header_len);
	for (unsigned int i = 0; i < r->h.ndevs; i++) {
		r->devs[i].dev[15] = r->devs[i].power_state[15] = 0;
		r->devs[i].runtime_status[15] = r->devs[i].control[15] = 0;
	}
	return 0;
}

/* the NUL-terminated string at *p within end, or NULL */
static const char *take_str(const char **p, const char *end)
{
	const char *s = *p, *z = memchr(s, 0, (size_t)(end - s));

	if (!z)
		return NULL;
	*p = z + 1;
	return s;
}

static int decode(struct vfr_reader *r, const struct vfr_rec *rec, struct vfr_item *it)
{
	const char *p = (const char *)rec + sizeof(*rec), *end = (const char *)rec + rec->len;
	size_t body = rec->len - sizeof(*rec);

	memset(it, 0, sizeof(*it));
	it->type = (enum vfr_rec_type)rec->type;
	it->class = (enum vfr_class)rec->class;
	switch (rec->type) {
	case VFR_REC_EVENT:
		if (body < r->h.event_size)
			return -1;
		it->ev = (const struct vfr_event *)p;
		p += r->h.event_size;
		if (end - p >= 2 && !p[0] && !p[1]) {	/* most events: no site, no stack */
			it->site = it->stack = p;
		} else {
			it->site = take_str(&p, end);
			it->stack = it->site ? take_str(&p, end) : NULL;
		}
		if (!it->stack)
			return -1;
		r->events++;
		return 0;
	case VFR_REC_TEXT:
		it->json = take_str(&p, end);
		it->human = it->json ? take_str(&p, end) : NULL;
		return it->human ? 0 : -1;
	case VFR_REC_LOST:
		it->lost = (const struct vfr_lost *)p;
		return body < sizeof(*it->lost) ? -1 : 0;
	case VFR_REC_TRAILER:
		it->trailer = (const struct vfr_trailer *)p;
		return body < sizeof(*it->trailer) ? -1 : 0;
	}
	return 1;	/* a type from a later version: skipped */
}

static int check_trailer(struct vfr_reader *r, const struct vfr_trailer *t)
{
	if (t->records != r->records || t->events != r->events)
		return fail(r, "corrupt: the trailer counts %llu records, the file holds %llu",
			    (unsigned long long)t->records, (unsigned long long)r->records);
	if (r->blk_pos < r->blk_len || fgetc(r->f) != EOF)
		return fail(r, "corrupt: data after the trailer at byte %llu",
			    (unsigned long long)r->offset);
	r->done = 1;
	return 0;
}

int vfr_next(struct vfr_reader *r, struct vfr_item *it)
{
	const struct vfr_rec *rec;
	uint64_t at;
	int rc;

	for (;;) {
		if (r->done)
			return 0;
		at = r->offset;
		rec = (const struct vfr_rec *)peek(r, sizeof(*rec));
		if (!rec)
			return fail(r, "cut after %llu records at byte %llu (no trailer): the "
				    "recording did not end cleanly", (unsigned long long)r->records,
				    (unsigned long long)at);
		if (rec->len < sizeof(*rec) || rec->len % 8 || rec->len > VFR_MAX_REC)
			return fail(r, "corrupt record length %u at byte %llu", rec->len,
				    (unsigned long long)at);
		rec = (const struct vfr_rec *)peek(r, rec->len);	/* the record stays in place */
		if (!rec)
			return fail(r, "cut inside a record at byte %llu (record %llu)",
				    (unsigned long long)at, (unsigned long long)r->records + 1);
		r->blk_pos += rec->len;
		r->offset += rec->len;
		rc = decode(r, rec, it);
		if (rc < 0)
			return fail(r, "corrupt record of type %u at byte %llu", rec->type,
				    (unsigned long long)at);
		if (it->type == VFR_REC_TRAILER)
			return check_trailer(r, it->trailer) ? -1 : 0;
		r->records++;
		if (rc == 0)
			return 1;
	}
}

void vfr_close(struct vfr_reader *r)
{
	free(r->devs);
	free(r->blk);
	r->devs = NULL;
	r->blk = NULL;
}
