// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * What the running kernel offers, found by BTF and tracefs, never by version:
 * a tp_btf program needs its btf_trace_<name> typedef in vmlinux or module BTF,
 * an fentry/fexit program a BTF function that ftrace can patch.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/mount.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "tool.h"

static struct btf *vmlinux;
static struct btf *mods[16];
static int nmods;
const char *probe_why = "";

static void load_btfs(void)
{
	static const char *const names[] = { "vfio", "vfio_pci_core", "vfio_pci" };

	if (vmlinux)
		return;
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux || libbpf_get_error(vmlinux)) {
		vmlinux = NULL;
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct btf *b = btf__load_module_btf(names[i], vmlinux);

		if (b && !libbpf_get_error(b))
			mods[nmods++] = b;
	}
}

static bool btf_has(const char *name, int kind)
{
	load_btfs();
	if (!vmlinux)
		return false;
	if (btf__find_by_name_kind(vmlinux, name, kind) > 0)
		return true;
	for (int i = 0; i < nmods; i++)
		if (btf__find_by_name_kind(mods[i], name, kind) > 0)
			return true;
	return false;
}

bool probe_tp_btf(const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	probe_why = "tracepoint not in this kernel's BTF";
	return btf_has(name, BTF_KIND_TYPEDEF);
}

const char *tracefs_note = "";

static bool has_func_list(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/available_filter_functions", dir);
	return !access(path, F_OK);
}

/*
 * The ftrace function list, mounting tracefs where nobody has (as perf
 * does): a fresh host boots with /sys/kernel/tracing empty.
 */
static const char *tracefs(void)
{
	static const char *dir;
	static bool tried;

	if (tried)
		return dir;
	tried = true;
	if (has_func_list("/sys/kernel/tracing"))
		return dir = "/sys/kernel/tracing";
	if (has_func_list("/sys/kernel/debug/tracing"))
		return dir = "/sys/kernel/debug/tracing";
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		tracefs_note = errno == EPERM ? "tracefs not mounted, and mounting it needs CAP_SYS_ADMIN"
					      : "tracefs not mounted, and this kernel cannot mount it";
		return NULL;
	}
	if (!has_func_list("/sys/kernel/tracing")) {
		tracefs_note = "mounted tracefs at /sys/kernel/tracing, which has no ftrace "
			       "function list (no function tracer in this kernel)";
		return NULL;
	}
	tracefs_note = "mounted tracefs at /sys/kernel/tracing";
	return dir = "/sys/kernel/tracing";
}

enum probe_answer probe_func(const char *fn)
{
	char path[128], line[256];
	const char *t;
	size_t n = strlen(fn);
	bool found = false;
	FILE *f;

	if (!btf_has(fn, BTF_KIND_FUNC)) {
		probe_why = "not in this kernel's BTF";
		return PROBE_NO;
	}
	t = tracefs();
	if (!t)
		return PROBE_TRY;
	snprintf(path, sizeof(path), "%s/available_filter_functions", t);
	f = fopen(path, "r");
	if (!f) {
		/* ftrace is locked down here, and fentry/fexit with it */
		probe_why = "this kernel forbids fentry/fexit (its ftrace function list "
			    "is not readable, even by root)";
		return PROBE_NO;
	}
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, fn, n) && (line[n] == '\n' || line[n] == ' ');
	fclose(f);
	if (!found)
		probe_why = "not traceable (not in available_filter_functions)";
	return found ? PROBE_YES : PROBE_NO;
}

int probe_kernel(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	p->btf = !access("/sys/kernel/btf/vmlinux", R_OK);
	if (!p->btf)
		return 0;
	p->full = probe_tp_btf("vfio_pci_pm_get") && probe_tp_btf("vfio_device_pm_get");
	p->vfio = !access("/sys/bus/pci/drivers/vfio-pci", F_OK) ||
		  btf_has("vfio_pci_core_device", BTF_KIND_STRUCT);
	return 0;
}
