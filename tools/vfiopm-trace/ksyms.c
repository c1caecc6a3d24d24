// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Kernel symbols from /proc/kallsyms, and picking the call site of a stack. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

struct ksym {
	__u64 addr;
	char *name;
};

struct ksyms {
	struct ksym *syms;
	size_t n, cap;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(const char *path)
{
	struct ksyms *ks = calloc(1, sizeof(*ks));
	char line[512], name[256], type;
	unsigned long long addr;
	FILE *f = fopen(path, "r");

	if (!ks || !f)
		goto err;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (type != 't' && type != 'T' && type != 'W' && type != 'w')
			continue;
		if (ks->n == ks->cap) {
			size_t cap = ks->cap ? ks->cap * 2 : 4096;
			struct ksym *ns = realloc(ks->syms, cap * sizeof(*ns));

			if (!ns)
				goto err;
			ks->syms = ns;
			ks->cap = cap;
		}
		ks->syms[ks->n].addr = addr;
		ks->syms[ks->n].name = strdup(name);
		if (!ks->syms[ks->n].name)
			goto err;
		ks->n++;
	}
	fclose(f);
	if (!ks->n) {	/* kallsyms hides addresses from non-root */
		ksyms_free(ks);
		return NULL;
	}
	qsort(ks->syms, ks->n, sizeof(*ks->syms), ksym_cmp);
	return ks;
err:
	if (f)
		fclose(f);
	ksyms_free(ks);
	return NULL;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->n; i++)
		free(ks->syms[i].name);
	free(ks->syms);
	free(ks);
}

const char *ksyms_find(const struct ksyms *ks, __u64 addr, __u64 *off)
{
	size_t lo = 0, hi;

	if (!ks || !ks->n || addr < ks->syms[0].addr)
		return NULL;
	hi = ks->n;
	while (hi - lo > 1) {	/* last symbol with syms[i].addr <= addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*off = addr - ks->syms[lo].addr;
	return ks->syms[lo].name;
}

int ksyms_range(const struct ksyms *ks, const char *name, __u64 *lo, __u64 *hi)
{
	for (size_t i = 0; ks && i + 1 < ks->n; i++) {
		if (strcmp(ks->syms[i].name, name))
			continue;
		*lo = ks->syms[i].addr;
		*hi = ks->syms[i + 1].addr;
		return 0;
	}
	return -1;
}

static const char *const machinery[] = {
	"bpf_", "__bpf_", "___bpf", "__traceiter_", "trace_", "perf_", "__perf",
	"rpm_", "__rpm_", "__pm_runtime_", "pm_runtime_", "vfio_pci_pm_get", "vfio_pci_pm_put",
	"vfio_device_pm_runtime_", "__trace_", "trace_call_bpf", "ftrace_", "arch_ftrace",
	"__probestub_", "get_perf_callchain", "stack_trace_",
};

bool frame_is_machinery(const char *sym)
{
	for (size_t i = 0; i < sizeof(machinery) / sizeof(machinery[0]); i++)
		if (!strncmp(sym, machinery[i], strlen(machinery[i])))
			return true;
	return false;
}

/*
 * Kernels built with the "guess" unwinder report every text address left on
 * the stack, so a stale frame can sit between two machinery frames: the site
 * is the first frame after the last machinery frame near the top.
 */
#define SITE_WINDOW 10

int pick_site(const struct ksyms *ks, const __u64 *ips, int n, char *buf, size_t len)
{
	int last = -1;
	__u64 off;

	for (int i = 0; i < n && i < SITE_WINDOW && ips[i]; i++) {
		const char *sym = ksyms_find(ks, ips[i], &off);

		if (sym && frame_is_machinery(sym))
			last = i;
	}
	for (int i = last + 1; i < n && ips[i]; i++) {
		const char *sym = ksyms_find(ks, ips[i], &off);

		if (!sym) {
			snprintf(buf, len, "0x%llx", (unsigned long long)ips[i]);
			return 0;
		}
		if (frame_is_machinery(sym))
			continue;
		snprintf(buf, len, "%s+0x%llx", sym, (unsigned long long)off);
		return 0;
	}
	snprintf(buf, len, "?");
	return -1;
}
