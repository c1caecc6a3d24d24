// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfio-lowpower: drive the VFIO_DEVICE_FEATURE low power uAPI of a vfio-pci
 * device from the command line, one step at a time. Used by the vfiopm demo,
 * tests and benchmarks.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <linux/vfio.h>

#include "vfio-dev.h"

static struct env {
	const char *bdf;
	char **steps;
	int nsteps;
	int timeout_ms;
	bool quiet;
} env = { .timeout_ms = 10000 };

struct device {
	struct vfio_dev v;
	int efd;
};

const char *argp_program_version = "vfio-lowpower 0.1";
static const char doc[] =
"Drive the vfio-pci low power uAPI of one device, step by step.\n"
"\n"
"Opens DEVICE (a PCI address bound to vfio-pci; no-IOMMU or type1 group) and\n"
"runs STEPs in order, printing each with a timestamp; stops at the first\n"
"failing step. Steps:\n"
"  entry          VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY\n"
"  entry-wakeup   LOW_POWER_ENTRY_WITH_WAKEUP with a new eventfd\n"
"  exit           LOW_POWER_EXIT\n"
"  read           read the vendor ID through the config region (wakes the device)\n"
"  wait-d3        wait until sysfs power_state is D3hot or D3cold\n"
"  wait-d0        wait until sysfs power_state is D0\n"
"  wait-wake      wait for the wakeup eventfd and print its count\n"
"  sleep:MS       sleep MS milliseconds\n"
"  read-loop:N    N config reads as fast as possible, prints ops/s\n"
"  rom-write      a write to the ROM region, which vfio-pci refuses (EINVAL):\n"
"                 the error path of a region access; the step succeeds when\n"
"                 the kernel refuses it\n"
"\n"
"EXAMPLES:\n"
"  vfio-lowpower 0000:00:02.0 entry wait-d3 read wait-d3 exit\n"
"  vfio-lowpower 0000:00:02.0 entry-wakeup wait-d3 read wait-wake\n"
"  vfio-lowpower 0000:00:02.0 read-loop:100000\n"
"\n"
"Exit status: 0 all steps done, 1 a step failed, 2 the device cannot be\n"
"opened, 64 usage error.";

static const struct argp_option opts[] = {
	{ "timeout", 't', "MS", 0, "Limit for wait-* steps (default 10000)", 0 },
	{ "quiet", 'q', NULL, 0, "Print only failures and read-loop results", 0 },
	{},
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double t0;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	if (env.quiet)
		return;
	printf("%9.3f  ", now() - t0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int sysfs_power_state(char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/power_state", env.bdf);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

static int open_device(struct device *d)
{
	d->efd = -1;
	return vfio_dev_open(&d->v, env.bdf, "vfio-lowpower");
}

static int set_feature(struct device *d, __u32 feature, void *data, size_t len)
{
	return vfio_dev_feature(&d->v, feature, data, len);
}

static int config_read(struct device *d, uint16_t *vendor)
{
	return vfio_dev_config_read(&d->v, vendor);
}

/* Until power_state reads want, or starts with it when want is "D3" (D3hot or D3cold). */
static int wait_state(const char *want)
{
	size_t n = strcmp(want, "D3") ? sizeof("D3cold") : 2;
	char state[16];

	for (int ms = 0; ms <= env.timeout_ms; ms++) {
		if (sysfs_power_state(state, sizeof(state)) == 0 && !strncmp(state, want, n))
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int read_loop(struct device *d, long n)
{
	uint16_t vendor;
	double start = now(), secs;

	for (long i = 0; i < n; i++)
		if (config_read(d, &vendor))
			return -errno;
	secs = now() - start;
	printf("read-loop: %ld reads in %.3f s: %.0f ops/s, %.2f us/op\n",
	       n, secs, n / secs, secs * 1e6 / n);
	return 0;
}

static int step(struct device *d, const char *s)
{
	struct vfio_device_low_power_entry_with_wakeup wake = {};
	uint16_t vendor;
	uint64_t count;
	char state[16];
	int ret;

	if (!strcmp(s, "entry")) {
		ret = set_feature(d, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0);
	} else if (!strcmp(s, "entry-wakeup")) {
		if (d->efd < 0)
			d->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		wake.wakeup_eventfd = d->efd;
		ret = set_feature(d, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
				  &wake, sizeof(wake));
	} else if (!strcmp(s, "exit")) {
		ret = set_feature(d, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, NULL, 0);
	} else if (!strcmp(s, "read")) {
		ret = config_read(d, &vendor);
		if (!ret) {
			say("read       vendor 0x%04x", vendor);
			return 0;
		}
	} else if (!strcmp(s, "wait-d3") || !strcmp(s, "wait-d0")) {
		ret = wait_state(s[6] == '3' ? "D3" : "D0");
	} else if (!strcmp(s, "wait-wake")) {
		struct pollfd p = { .fd = d->efd, .events = POLLIN };

		if (d->efd < 0) {
			fprintf(stderr, "vfio-lowpower: wait-wake without entry-wakeup\n");
			return -EINVAL;
		}
		ret = poll(&p, 1, env.timeout_ms) == 1 ? 0 : -ETIMEDOUT;
		if (!ret && read(d->efd, &count, sizeof(count)) == sizeof(count)) {
			say("wait-wake  eventfd signalled, count %llu", (unsigned long long)count);
			return 0;
		}
	} else if (!strncmp(s, "sleep:", 6)) {
		ret = usleep(atoi(s + 6) * 1000) ? -errno : 0;
	} else if (!strcmp(s, "rom-write")) {
		ret = vfio_dev_rom_write(&d->v);
		ret = ret == -EINVAL ? 0 : ret ? ret : -EPROTO;	/* accepted would be wrong */
	} else if (!strncmp(s, "read-loop:", 10)) {
		return read_loop(d, atol(s + 10));
	} else {
		fprintf(stderr, "vfio-lowpower: unknown step '%s' (try --help)\n", s);
		return -EINVAL;
	}

	sysfs_power_state(state, sizeof(state));
	if (ret)
		fprintf(stderr, "%9.3f  %-10s failed: %s (power_state %s)\n",
			now() - t0, s, strerror(-ret), state);
	else
		say("%-10s ok, power_state %s", s, state);
	return ret;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 't':
		env.timeout_ms = atoi(arg);
		if (env.timeout_ms <= 0)
			argp_error(state, "invalid timeout '%s'", arg);
		break;
	case 'q':
		env.quiet = true;
		break;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0) {
			unsigned int a, b, c, f;
			char end;

			if (sscanf(arg, "%x:%x:%x.%x%c", &a, &b, &c, &f, &end) != 4)
				argp_error(state, "'%s' is not a PCI address (DDDD:BB:DD.F)", arg);
			env.bdf = arg;
			break;
		}
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_ARGS:
		env.steps = state->argv + state->next;
		env.nsteps = state->argc - state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, "DEVICE STEP...", doc, NULL, NULL, NULL };
	struct device d = { .efd = -1 };

	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (!env.nsteps) {
		fprintf(stderr, "vfio-lowpower: no steps given (try --help)\n");
		return 64;
	}
	t0 = now();
	if (open_device(&d))
		return 2;
	say("open       %s", env.bdf);
	for (int i = 0; i < env.nsteps; i++)
		if (step(&d, env.steps[i]))
			return 1;
	return 0;
}
