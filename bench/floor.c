// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * floor: attach an empty BPF program (floor.bpf.c) to every hook vfiopm-trace
 * attaches in full mode and wait for SIGINT or SIGTERM. The floor of
 * bench/vfiopm-trace.sh: with kernel.bpf_stats_enabled=1, its programs' run
 * time is what any program on those hooks costs before doing anything.
 *
 *   floor [-q]     prints one line per program, "floor: prog ID NAME SECTION",
 *                  one per absent hook, "floor: skip NAME SECTION: WHY",
 *                  then "floor: attached N programs" (the ready line)
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t exiting;
static void on_signal(int sig) { (void)sig; exiting = 1; }

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* vmlinux and the vfio modules' BTF, where vfiopm-trace's probe looks too */
static struct btf *btfs[4];
static int nbtfs;

static void load_btfs(void)
{
	static const char *const mods[] = { "vfio", "vfio_pci_core", "vfio_pci" };
	struct btf *v = btf__load_vmlinux_btf();

	if (!v || libbpf_get_error(v))
		return;
	btfs[nbtfs++] = v;
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		struct btf *b = btf__load_module_btf(mods[i], v);

		if (b && !libbpf_get_error(b))
			btfs[nbtfs++] = b;
	}
}

static bool btf_has(const char *name, int kind)
{
	for (int i = 0; i < nbtfs; i++)
		if (btf__find_by_name_kind(btfs[i], name, kind) > 0)
			return true;
	return false;
}

/* NULL when the section's target is in this kernel, else why not */
static const char *absent(const char *sec)
{
	static const char *const funcs = "/sys/kernel/tracing/available_filter_functions";
	char name[160], line[256];
	const char *target = strchr(sec, '/');
	bool found = false;
	size_t n;
	FILE *f;

	if (!target)
		return "section without a target";
	target++;
	if (!strncmp(sec, "tp_btf/", 7)) {
		snprintf(name, sizeof(name), "btf_trace_%s", target);
		return btf_has(name, BTF_KIND_TYPEDEF) ? NULL : "tracepoint not in this kernel's BTF";
	}
	if (!btf_has(target, BTF_KIND_FUNC))
		return "function not in this kernel's BTF";
	f = fopen(funcs, "r");
	if (!f)
		return NULL;	/* no list to ask: the load decides */
	n = strlen(target);
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, target, n) && (line[n] == '\n' || line[n] == ' ');
	fclose(f);
	return found ? NULL : "function not traceable (not in available_filter_functions)";
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

/* the object again, each program loaded alone first: the ones refused are skipped */
static struct floor_bpf *open_refused(void)
{
	struct floor_bpf *obj = floor_bpf__open();
	struct bpf_program *p, *q;

	if (!obj)
		return NULL;
	bpf_object__for_each_program(p, obj->obj) {
		struct floor_bpf *one;
		int err;

		if (absent(bpf_program__section_name(p))) {
			bpf_program__set_autoload(p, false);
			continue;
		}
		one = floor_bpf__open();
		if (!one)
			continue;
		bpf_object__for_each_program(q, one->obj)
			bpf_program__set_autoload(q, !strcmp(bpf_program__name(q), bpf_program__name(p)));
		err = floor_bpf__load(one);
		floor_bpf__destroy(one);
		if (err) {
			printf("floor: skip %s %s: the kernel refused it (%s)\n", bpf_program__name(p),
			       bpf_program__section_name(p), strerror(-err));
			bpf_program__set_autoload(p, false);
		}
	}
	return obj;
}

int main(int argc, char **argv)
{
	struct bpf_link *links[64];
	struct floor_bpf *obj;
	struct bpf_program *p;
	int nlinks = 0, err;

	(void)argc;
	(void)argv;
	libbpf_set_print(libbpf_print);
	load_btfs();
	if (!nbtfs) {
		fprintf(stderr, "floor: no kernel BTF (/sys/kernel/btf/vmlinux)\n");
		return 1;
	}
	obj = floor_bpf__open();
	if (!obj) {
		fprintf(stderr, "floor: open: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj->obj) {
		const char *why = absent(bpf_program__section_name(p));

		if (why) {
			printf("floor: skip %s %s: %s\n", bpf_program__name(p),
			       bpf_program__section_name(p), why);
			bpf_program__set_autoload(p, false);
		}
	}
	libbpf_set_print(libbpf_quiet);
	err = floor_bpf__load(obj);
	if (err) {
		/* which one the kernel refuses (fentry/fexit where ftrace may not patch) */
		floor_bpf__destroy(obj);
		obj = open_refused();
		err = obj ? floor_bpf__load(obj) : -ENOMEM;
	}
	libbpf_set_print(libbpf_print);
	if (err) {
		fprintf(stderr, "floor: load: %s\n", strerror(-err));
		floor_bpf__destroy(obj);
		return 1;
	}
	bpf_object__for_each_program(p, obj->obj) {
		struct bpf_link *l;

		if (!bpf_program__autoload(p))
			continue;
		l = bpf_program__attach(p);
		if (!l) {
			err = -errno;
			fprintf(stderr, "floor: attach %s %s: %s\n", bpf_program__name(p),
				bpf_program__section_name(p), strerror(-err));
			goto out;
		}
		links[nlinks++] = l;
		{
			struct bpf_prog_info info = {};
			__u32 len = sizeof(info);

			bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len);
			printf("floor: prog %u %s %s\n", info.id, bpf_program__name(p),
			       bpf_program__section_name(p));
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("floor: attached %d programs\n", nlinks);
	fflush(stdout);
	while (!exiting)
		pause();
	err = 0;
out:
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
	floor_bpf__destroy(obj);
	return err ? 1 : 0;
}
