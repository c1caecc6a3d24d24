// SPDX-License-Identifier: GPL-2.0
/* The line shape shared by ftrace (trace, trace_pipe), trace-cmd report and perf script. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parse.h"

const char *find_mem(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle));
}

void text_trim(const char **s, size_t *n)
{
	const char *p = *s, *end = *s + *n;

#ifdef __SSE2__
	if (*n >= 16) {	/* ftrace right-aligns the comm: most lines start with blanks */
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));

		p += __builtin_ctz(~m);	/* bit 16 of ~m is set: at most 16 */
	}
#endif
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*s = p;
	*n = (size_t)(end - p);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Position of the "[123]" CPU field, or -1. */
static long find_cpu(const char *s, size_t n, int *cpu)
{
	const char *p = s, *end = s + n;

	for (;; p++) {
		const char *q;

		while (p < end && *p != '[')	/* it is near: a plain loop beats memchr */
			p++;
		if (p == end)
			return -1;
		q = p + 1;
		int v = 0;

		while (q < end && is_digit(*q) && q - p < 8)
			v = v * 10 + (*q++ - '0');
		if (q > p + 1 && q < end && *q == ']' && (q + 1 == end || q[1] == ' ')) {
			*cpu = v;
			return p - s;
		}
	}
}

static size_t token(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	return (size_t)(q - p);
}

static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Left of the CPU field at b, backwards: [(tgid)] pid[/tid] separator comm. */
static int header_left(const char *s, long b, int perf, struct text_hdr *h)
{
	const char *p, *lim;
	int pid = 0, mul = 1;

	p = s + b - 1;
	while (p > s && *p == ' ')
		p--;
	if (!perf && *p == ')') {
		while (p > s && *p != '(')
			p--;
		if (p == s)
			return -1;
		p--;
		while (p > s && *p == ' ')
			p--;
	}
	lim = p;
	while (p >= s && is_digit(*p) && lim - p < 9) {
		pid += (*p - '0') * mul;
		mul *= 10;
		p--;
	}
	if (p == lim || p < s)
		return -1;
	if (perf && *p == '/') {	/* "pid/tid": keep the tid */
		p--;
		while (p >= s && is_digit(*p))
			p--;
		if (p < s)
			return -1;
	}
	if (*p != (perf ? ' ' : '-'))
		return -1;
	h->pid = pid;
	lim = p;
	if (perf)
		while (lim > s && lim[-1] == ' ')
			lim--;
	h->comm = skip_sp(s, lim);
	h->comm_len = (size_t)(lim - h->comm);
	return 0;
}

int text_header(const char *s, size_t n, int perf, struct text_hdr *h)
{
	const char *end = s + n, *p;
	long b = find_cpu(s, n, &h->cpu);
	size_t t;

	if (b < 1 || header_left(s, b, perf, h))
		return -1;
	/* right of it: [flags] ts: name: payload */
	p = skip_sp(s + b + 1, end);
	while (p < end && *p != ']')
		p++;
	p = skip_sp(p + 1, end);
	t = token(p, end);
	if (t < 2 || p[t - 1] != ':' || parse_ts(p, t - 1, &h->ts)) {
		p = skip_sp(p + t, end);	/* that was the irq-info flags */
		t = token(p, end);
		if (t < 2 || p[t - 1] != ':' || parse_ts(p, t - 1, &h->ts))
			return -1;
	}
	p = skip_sp(p + t, end);
	t = token(p, end);
	if (t < 2 || p[t - 1] != ':')
		return -1;
	h->name = p;
	h->name_len = t - 1;
	p = skip_sp(p + t, end);
	h->payload = p;
	h->payload_len = (size_t)(end - p);
	return 0;
}

/* What the header says of an event: time, task, CPU (the comm cut to fit). */
static void hdr_fields(const struct text_hdr *h, struct event *ev)
{
	ev->ts = h->ts;
	ev->pid = h->pid;
	ev->cpu = h->cpu;
	if (h->comm_len) {
		size_t l = h->comm_len < COMM_LEN - 1 ? h->comm_len : COMM_LEN - 1;

		memcpy(ev->comm, h->comm, l);
		ev->comm[l] = 0;
	}
}

void text_event(const struct text_hdr *h, struct parsed *out)
{
	struct event *ev = &out->ev;
	const char *why;
	const char *name = h->name;
	size_t nl = h->name_len;
	const char *c = memchr(name, ':', nl);

	if (c) {	/* perf's "system:event" */
		nl -= (size_t)(c + 1 - name);
		name = c + 1;
	}
	event_init(ev);
	ev->type = ev_type_from_name(name, nl);
	if (ev->type == EV_NONE) {
		out->kind = is_vfio_name(name, nl) ? LK_UNKNOWN_VFIO : LK_OTHER;
		return;
	}
	hdr_fields(h, ev);
	why = parse_payload(ev, h->payload, h->payload_len);
	out->kind = why ? LK_BAD_VFIO : LK_EVENT;
	out->why = why;
}

/*
 * The fast path, for lines of up to TOK_LINE bytes: 16-byte compares mark the
 * spaces, the tokens fall out of that mask by bit arithmetic, and the header
 * and payload are read token by token: a byte loop per token mispredicts its
 * exit on every line. Any line it is not sure of goes to text_header() and
 * text_event(), whose results it must equal: same kinds, same fields.
 */
#define TOK_LINE 256
#define TOK_WORDS (TOK_LINE / 64)

/* A line's tokens (split at ' '), walked in order by taking bits off first[] and last[]. */
struct toks {
	const char *s;
	size_t n;
	unsigned words, w, wl;		/* words in use; where the next first and last bits are */
	uint64_t first[TOK_WORDS], last[TOK_WORDS];	/* a token's first and last byte */
};

struct tok {
	size_t a, b;			/* s[a..b) */
};

#ifdef __SSE2__
/* Bit i: p[i] == c, for the 64 bytes at p. */
static uint64_t mark64(const char *p, char c)
{
	__m128i k = _mm_set1_epi8(c);
	uint64_t m = 0;

	for (unsigned i = 0; i < 64; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));

		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) << i;
	}
	return m;
}
#else
static uint64_t mark64(const char *p, char c)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < 64; i++)
		m |= p[i] == c ? 1ULL << i : 0;
	return m;
}
#endif

/* Bit i: s[from + i] == c, for the bytes of s[0..n) there; loads stay inside. */
static uint64_t mark_word(const char *s, size_t n, size_t from, char c)
{
	char buf[64];

	if (from + 64 <= n)
		return mark64(s + from, c);
	if (n < 64) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, s, n);
		return mark64(buf, c);
	}
	return mark64(s + n - 64, c) >> (from + 64 - n);	/* the 64 bytes that end the line */
}

static int tokenize(const char *s, size_t n, struct toks *t)
{
	uint64_t word[TOK_WORDS];	/* not a space */

	if (!n || n > TOK_LINE)
		return -1;
	t->s = s;
	t->n = n;
	t->words = (unsigned)((n + 63) / 64);
	t->w = t->wl = 0;
	for (unsigned w = 0; w < t->words; w++) {
		size_t left = n - w * 64;

		word[w] = ~mark_word(s, n, w * 64, ' ') & (left >= 64 ? ~0ULL : (1ULL << left) - 1);
	}
	for (unsigned w = 0; w < t->words; w++) {
		uint64_t before = word[w] << 1 | (w ? word[w - 1] >> 63 : 0);
		uint64_t after = word[w] >> 1 | (w + 1 < t->words ? word[w + 1] << 63 : 0);

		t->first[w] = word[w] & ~before;
		t->last[w] = word[w] & ~after;
	}
	return 0;
}

/* Where the next token starts, or n. */
static inline size_t tok_peek(struct toks *t)
{
	while (t->w < t->words && !t->first[t->w])
		t->w++;
	return t->w < t->words ? t->w * 64 + (size_t)__builtin_ctzll(t->first[t->w]) : t->n;
}

static inline int tok_next(struct toks *t, struct tok *k)
{
	k->a = tok_peek(t);
	if (k->a == t->n)
		return -1;
	t->first[t->w] &= t->first[t->w] - 1;
	while (!t->last[t->wl])		/* a token that started has a last byte */
		t->wl++;
	k->b = t->wl * 64 + (size_t)__builtin_ctzll(t->last[t->wl]) + 1;
	t->last[t->wl] &= t->last[t->wl] - 1;
	return 0;
}

/* The first c in s[from..to), or to. */
static size_t find_slow(const char *s, size_t from, size_t to, char c)
{
	const char *p = memchr(s + from, c, to - from);

	return p ? (size_t)(p - s) : to;
}

/* find_slow(), 16 bytes a compare while they are inside s[0..n). */
static inline size_t find_in(const char *s, size_t n, size_t from, size_t to, char c)
{
#ifdef __SSE2__
	for (; from < to && from + 16 <= n; from += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + from));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));

		if (m) {
			from += (size_t)__builtin_ctz(m);
			return from < to ? from : to;
		}
	}
	if (from >= to)
		return to;
#else
	(void)n;
#endif
	return find_slow(s, from, to, c);
}

/* Where the key of the field token s[a..b) ends: its first '='; b if none. */
static size_t key_end(const char *s, size_t n, size_t a, size_t b)
{
	/* the keys of nearly every event; none of them holds a '=' */
#define KEY_IS(k) (b - a > sizeof(k) - 1 && !memcmp(s + a, k "=", sizeof(k)))
	switch (s[a]) {
	case 'u':
		if (KEY_IS("usage_count"))
			return a + sizeof("usage_count") - 1;
		break;
	case 'r':
		if (KEY_IS("ret"))
			return a + 3;
		if (KEY_IS("reason"))
			return a + 6;
		break;
	case 'o':
		if (KEY_IS("op"))
			return a + 2;
		break;
	case 'c':
		if (KEY_IS("cmd"))
			return a + 3;
		break;
	}
#undef KEY_IS
	return find_in(s, n, a, b, '=');
}

/* "[digits]", 1 to 7 of them, as find_cpu() wants it. */
static int cpu_token(const char *s, const struct tok *k, int *cpu)
{
	const char *p = s + k->a;
	size_t l = k->b - k->a;
	int v = 0;

	if (l < 3 || l > 9 || p[l - 1] != ']')
		return -1;
	for (size_t i = 1; i < l - 1; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*cpu = v;
	return 0;
}

/* The next token is a "ts:" that parse_ts() takes. */
static int ts_next(struct toks *t, uint64_t *ts)
{
	struct tok k;

	if (tok_next(t, &k) || k.b - k.a < 2 || t->s[k.b - 1] != ':')
		return -1;
	return parse_ts(t->s + k.a, k.b - k.a - 1, ts);
}

/*
 * text_header() on the tokens: 1 if it is sure, with its result in *rc (0 or
 * -1, as text_header() would return), 0 if the line needs text_header().
 */
static int toks_header(struct toks *t, int perf, struct text_hdr *h, int *rc)
{
	const char *s = t->s;
	struct tok k;
	size_t b;

	/* find_cpu(): the first '[' must open a whole "[123]" token */
	b = find_in(s, t->n, 0, t->n, '[');
	if (b == t->n)
		return 0;
	do
		if (tok_next(t, &k))
			return 0;
	while (k.a < b);
	if (k.a != b || cpu_token(s, &k, &h->cpu))
		return 0;
	*rc = -1;
	if (b < 1 || header_left(s, (long)b, perf, h))
		return 1;
	if (ts_next(t, &h->ts) && ts_next(t, &h->ts))	/* the first may be irq-info flags */
		return 1;
	if (tok_next(t, &k) || k.b - k.a < 2 || s[k.b - 1] != ':')
		return 1;
	h->name = s + k.a;
	h->name_len = k.b - k.a - 1;
	h->payload = s + tok_peek(t);
	h->payload_len = (size_t)(s + t->n - h->payload);
	*rc = 0;
	return 1;
}

/* parse_payload() on the tokens left. */
static const char *toks_payload(struct toks *t, struct event *ev)
{
	const char *s = t->s;
	struct tok k;

	if (tok_next(t, &k) || find_in(s, t->n, k.a, k.b, '=') < k.b)
		return "no device name";
	if (event_set_field(ev, "dev", 3, s + k.a, k.b - k.a))
		return "bad device name";
	while (!tok_next(t, &k)) {
		size_t eq = key_end(s, t->n, k.a, k.b);

		if (eq == k.b)
			return "field without '='";
		if (event_set_field(ev, s + k.a, eq - k.a, s + eq + 1, k.b - eq - 1))
			return "bad field value";
	}
	return event_validate(ev);
}

/* text_event() on the tokens left after the header. */
static void toks_event(struct toks *t, const struct text_hdr *h, struct parsed *out)
{
	struct event *ev = &out->ev;
	const char *s = t->s;
	size_t from = (size_t)(h->name - s), to = from + h->name_len, name, c;
	const char *why;

	c = find_in(s, t->n, from, to, ':');	/* perf's "system:event" */
	name = from = c < to ? c + 1 : from;
	c = find_in(s, t->n, from, to, ':');	/* and ev_type_from_name()'s */
	from = c < to ? c + 1 : from;
	event_init(ev);
	ev->type = ev_type_bare(s + from, to - from);
	if (ev->type == EV_NONE) {
		out->kind = is_vfio_name(s + name, to - name) ? LK_UNKNOWN_VFIO : LK_OTHER;
		return;
	}
	hdr_fields(h, ev);
	why = toks_payload(t, ev);
	out->kind = why ? LK_BAD_VFIO : LK_EVENT;
	out->why = why;
}

int text_line(const char *s, size_t n, int perf, struct parsed *out)
{
	struct toks t;
	struct text_hdr h;
	int rc;

	if (tokenize(s, n, &t) || !toks_header(&t, perf, &h, &rc)) {
		if (text_header(s, n, perf, &h))
			return -1;
		text_event(&h, out);
		return 0;
	}
	if (rc)
		return -1;
	toks_event(&t, &h, out);
	return 0;
}

void text_unparsed(const char *s, size_t n, struct parsed *out)
{
	if (find_mem(s, n, "usage_count=") || find_mem(s, n, "vfio_pci_") ||
	    find_mem(s, n, "vfio_device_pm_") ||
	    (find_mem(s, n, "_count=") && find_mem(s, n, " ret="))) {
		out->kind = LK_BAD_VFIO;
		out->why = "unparseable line naming a vfio event";
	} else {
		out->kind = LK_GARBAGE;
		out->why = "not a trace line";
	}
}
