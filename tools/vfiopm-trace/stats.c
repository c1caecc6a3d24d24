// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Latency samples, percentiles and log2 histograms (libbpf-tools style). */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

int samples_add(struct samples *s, __u64 v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		__u64 *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

__u64 samples_pct(const struct samples *s, double p)
{
	size_t rank;

	if (!s->n)
		return 0;
	/* sorting in place keeps later calls cheap; order is not otherwise used */
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	rank = (size_t)((p / 100.0) * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->v[rank - 1];
}

__u64 samples_max(const struct samples *s)
{
	__u64 m = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}

void samples_free(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void print_stars(FILE *f, __u64 val, __u64 max, int width)
{
	int stars = max ? (int)(val * (__u64)width / max) : 0;
	bool more = val > max;

	if (stars > width)
		stars = width;
	for (int i = 0; i < stars; i++)
		fputc('*', f);
	for (int i = stars; i < width; i++)
		fputc(' ', f);
	if (more)
		fputc('+', f);
}

/* As print_log2_hist() of bcc's libbpf-tools/trace_helpers.c. */
void print_log2_hist(FILE *f, const __u64 *slots, int n, const char *unit)
{
	int idx_max = -1, stars = 40;
	__u64 val_max = 0;

	for (int i = 0; i < n; i++) {
		if (slots[i] > 0)
			idx_max = i;
		if (slots[i] > val_max)
			val_max = slots[i];
	}
	if (idx_max < 0)
		return;
	fprintf(f, "%*s%-*s : count    distribution\n", idx_max <= 32 ? 5 : 15, "",
		idx_max <= 32 ? 19 : 29, unit);
	for (int i = 0; i <= idx_max; i++) {
		unsigned long long low = i ? 1ULL << i : 0, high = (1ULL << (i + 1)) - 1;

		if (i == 0)
			high = 1;
		fprintf(f, "%*llu -> %-*llu : %-8llu |", idx_max <= 32 ? 10 : 20, low,
			idx_max <= 32 ? 10 : 20, high, (unsigned long long)slots[i]);
		print_stars(f, slots[i], val_max, stars);
		fprintf(f, "|\n");
	}
}

__u64 hist_pct(const __u64 *slots, int n, double p)
{
	__u64 total = 0, acc = 0, want;

	for (int i = 0; i < n; i++)
		total += slots[i];
	if (!total)
		return 0;
	want = (__u64)((p / 100.0) * (double)total + 0.999999);
	if (want < 1)
		want = 1;
	for (int i = 0; i < n; i++) {
		acc += slots[i];
		if (acc >= want)
			return i ? 1ULL << i : 0;
	}
	return 0;
}
