// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfiopm-status: why is this vfio-pci device awake, and can it reach
 * D3cold? A snapshot from sysfs and procfs: no BPF, any kernel.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-sysfs.h"
#include "status.h"

enum { EXIT_BLOCKED = 1, EXIT_CANNOT = 2, EXIT_USAGE = 64 };

static struct env {
	bool json, prom;
	const char *sys, *proc;
	char **bdfs;
	int nbdfs;
} env = { .sys = "/sys", .proc = "/proc" };

const char *argp_program_version = "vfiopm-status 0.1";
static const char doc[] =
"Why is this vfio-pci device awake, and can it reach D3cold?\n"
"\n"
"For each DEVICE (default: every device bound to vfio-pci): its power state,\n"
"runtime-PM status, power/control, usage count, active children, time active\n"
"and suspended, d3cold_allowed and whether the platform offers D3cold (power\n"
"resources for D3hot on the device's or a parent port's firmware node); the\n"
"parent bridges up to the root port; the other functions of its slot; the\n"
"processes holding it open through vfio. Then a verdict with its reasons.\n"
"An open vfio session explains a count of 1 (0 in low power), power/control=on\n"
"explains 1; the count is the lowest of 10 reads over 100 ms.\n"
"\n"
"EXAMPLES:\n"
"  vfiopm-status                    every vfio-pci device\n"
"  vfiopm-status --json 0000:01:00.0\n"
"  vfiopm-status --prom >/var/lib/prometheus/node-exporter/vfiopm.prom.$$ &&\n"
"    mv /var/lib/prometheus/node-exporter/vfiopm.prom.$$ \\\n"
"       /var/lib/prometheus/node-exporter/vfiopm.prom   (a cron job: docs/metrics.md)\n"
"\n"
"Exit status: 0 every device can sleep, 1 something keeps one awake, 2 a\n"
"device cannot be inspected, 64 usage error.";

static const struct argp_option opts[] = {
	{ "json", 'j', NULL, 0, "One JSON object per device (docs/json.md)", 0 },
	{ "prom", 'p', NULL, 0, "Prometheus text exposition for node_exporter's textfile "
	  "collector (docs/metrics.md)", 0 },
	{ "root", 'R', "DIR", 0, "Read DIR/sys and DIR/proc instead (for tests)", 0 },
	{},
};

static char sysbuf[4096], procbuf[4096];

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	switch (key) {
	case 'j': env.json = true; break;
	case 'p': env.prom = true; break;
	case 'R':
		snprintf(sysbuf, sizeof(sysbuf), "%s/sys", arg);
		snprintf(procbuf, sizeof(procbuf), "%s/proc", arg);
		env.sys = sysbuf;
		env.proc = procbuf;
		break;
	case ARGP_KEY_ARGS:
		env.bdfs = st->argv + st->next;
		env.nbdfs = st->argc - st->next;
		for (int i = 0; i < env.nbdfs; i++)
			if (!pci_bdf_valid(env.bdfs[i]))
				argp_error(st, "'%s' is not a PCI address (DDDD:BB:DD.F)", env.bdfs[i]);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void print_human(const struct dev_status *st, const struct verdict *v);
void print_json(const struct dev_status *st, const struct verdict *v);
void print_prom(const struct dev_status *st, const struct verdict *v, int n);

/* Gathers and judges one device into st/v; prints it unless --prom. */
static int one(const char *bdf, struct dev_status *st, struct verdict *v)
{
	if (gather(env.sys, env.proc, bdf, st)) {
		fprintf(stderr, "vfiopm-status: %s: no such PCI device\n", bdf);
		return EXIT_CANNOT;
	}
	judge(st, v);
	if (env.json)
		print_json(st, v);
	else if (!env.prom)
		print_human(st, v);
	return v->can_sleep ? 0 : EXIT_BLOCKED;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, "[DEVICE...]", doc, NULL, NULL, NULL };
	struct dev_status *sts;
	struct verdict *vs;
	static char found[64][PCI_BDF_LEN];
	static char *names[64];
	int rc = 0, n, ok = 0;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return EXIT_USAGE;
	if (env.json && env.prom) {
		fprintf(stderr, "vfiopm-status: --json and --prom are exclusive\n");
		return EXIT_USAGE;
	}
	if (!env.nbdfs) {
		n = vfio_pci_devices(env.sys, found, 64);
		if (n <= 0) {
			fprintf(stderr, "vfiopm-status: no device is bound to vfio-pci%s (name one: "
				"vfiopm-status DDDD:BB:DD.F)\n", n < 0 ? " (no vfio-pci driver)" : "");
			return EXIT_CANNOT;
		}
		for (int i = 0; i < n; i++)
			names[i] = found[i];
		env.bdfs = names;
		env.nbdfs = n;
	}
	sts = calloc((size_t)env.nbdfs, sizeof(*sts));
	vs = calloc((size_t)env.nbdfs, sizeof(*vs));
	if (!sts || !vs) {
		fprintf(stderr, "vfiopm-status: out of memory\n");
		return EXIT_CANNOT;
	}
	for (int i = 0; i < env.nbdfs; i++) {
		int r = one(env.bdfs[i], &sts[ok], &vs[ok]);

		ok += r != EXIT_CANNOT;
		rc = r > rc ? r : rc;
	}
	if (env.prom)
		print_prom(sts, vs, ok);
	free(sts);
	free(vs);
	return rc;
}
