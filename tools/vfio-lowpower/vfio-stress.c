// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfio-stress: the concurrent low-power workload a VMM makes, on one vfio-pci
 * device, for as long as asked. The stress tier runs the tracers on it: a
 * correct kernel must come out balanced (docs/testing.md, "Stress tier").
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
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
	int seconds, readers, round_ms;
	bool sysfs, quiet;
} env = { .seconds = 20, .readers = 2, .round_ms = 2000, .sysfs = true };

/* What the run did; every counter is bumped by one thread at a time or atomically. */
static struct counts {
	atomic_ulong reads, sysfs_reads, entries, wake_entries, busy, exits, wakes, errors;
	unsigned long rounds, closed_engaged;
} n;

static atomic_bool stop;
static struct vfio_dev dev;

const char *argp_program_version = "vfio-stress 0.1";
static const char doc[] =
"Run the concurrent low-power workload of a VMM on one vfio-pci device.\n"
"\n"
"In rounds of --round MS, each one a session (open ... close), these run at\n"
"once: READERS threads reading config space through the device; one thread\n"
"cycling LOW_POWER_ENTRY / EXIT; one cycling ENTRY_WITH_WAKEUP, a poll of its\n"
"eventfd and, every other time, EXIT; one thread reading the device's sysfs\n"
"config file, as a monitoring daemon does (a reference taken outside vfio).\n"
"ENTRY refused with EINVAL while already engaged counts as busy. Every other\n"
"round closes the session with low power engaged.\n"
"\n"
"At the end it prints one JSON object of counts on stdout; a line per round\n"
"goes to stderr (-q: none).\n"
"\n"
"EXAMPLE:\n"
"  vfio-stress -s 20 0000:00:04.0\n"
"\n"
"Exit status: 0 done with no errors, 1 a call failed unexpectedly, 2 the\n"
"device cannot be opened, 64 usage error.";

static const struct argp_option opts[] = {
	{ "seconds", 's', "S", 0, "Run for S seconds (default 20)", 0 },
	{ "readers", 'r', "N", 0, "Config-space reader threads (default 2)", 0 },
	{ "round", 'R', "MS", 0, "Length of one session (default 2000)", 0 },
	{ "no-sysfs", 'S', NULL, 0, "No sysfs config reader", 0 },
	{ "quiet", 'q', NULL, 0, "No line per round", 0 },
	{},
};

static void pause_us(unsigned int *seed, unsigned int max_us)
{
	usleep((useconds_t)(rand_r(seed) % (max_us + 1)));
}

static void unexpected(const char *what, int err)
{
	n.errors++;
	fprintf(stderr, "vfio-stress: %s: %s\n", what, strerror(-err));
}

static void *reader(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	uint16_t vendor;
	int err;

	while (!stop) {
		for (int burst = 1 + rand_r(&seed) % 4; burst--;) {
			err = vfio_dev_config_read(&dev, &vendor);
			if (err)
				unexpected("config read", err);
			else
				n.reads++;
		}
		pause_us(&seed, 20000);
	}
	return NULL;
}

/* An ENTRY refused because another thread's is engaged is the kernel's busy answer. */
static bool entered(int err, atomic_ulong *ok)
{
	if (!err) {
		(*ok)++;
		return true;
	}
	if (err == -EINVAL)
		n.busy++;
	else
		unexpected("low-power entry", err);
	return false;
}

static void exit_low_power(void)
{
	int err = vfio_dev_feature(&dev, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, NULL, 0);

	if (err)
		unexpected("low-power exit", err);
	else
		n.exits++;
}

static void *cycler(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;

	while (!stop) {
		entered(vfio_dev_feature(&dev, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0),
			&n.entries);
		pause_us(&seed, 10000);
		exit_low_power();
		pause_us(&seed, 10000);
	}
	return NULL;
}

static void *waker(void *arg)
{
	struct vfio_device_low_power_entry_with_wakeup wake = {};
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t count;

	if (efd < 0) {
		unexpected("eventfd", -errno);
		return NULL;
	}
	wake.wakeup_eventfd = efd;
	for (bool odd = false; !stop; odd = !odd) {
		if (!entered(vfio_dev_feature(&dev, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
					      &wake, sizeof(wake)), &n.wake_entries)) {
			pause_us(&seed, 5000);
			continue;
		}
		if (poll(&p, 1, 30) == 1 && read(efd, &count, sizeof(count)) == sizeof(count))
			n.wakes++;
		if (odd)
			exit_low_power();
		pause_us(&seed, 5000);
	}
	close(efd);
	return NULL;
}

static void *sysfs_reader(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	char path[96], buf[64];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", env.bdf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		unexpected(path, -errno);
		return NULL;
	}
	while (!stop) {
		if (pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf))
			n.sysfs_reads++;
		else
			unexpected("sysfs config read", -errno);
		pause_us(&seed, 5000);
	}
	close(fd);
	return NULL;
}

/* One session: open, every thread for round_ms, then close (engaged every other round). */
static int round_run(unsigned long r)
{
	pthread_t t[16 + 3];
	int nt = 0;

	if (vfio_dev_open(&dev, env.bdf, "vfio-stress"))
		return -1;
	stop = false;
	for (int i = 0; i < env.readers; i++)
		pthread_create(&t[nt++], NULL, reader, (void *)(uintptr_t)(r * 100 + (unsigned long)i));
	pthread_create(&t[nt++], NULL, cycler, (void *)(uintptr_t)(r * 100 + 50));
	pthread_create(&t[nt++], NULL, waker, (void *)(uintptr_t)(r * 100 + 60));
	if (env.sysfs)
		pthread_create(&t[nt++], NULL, sysfs_reader, (void *)(uintptr_t)(r * 100 + 70));
	usleep((useconds_t)env.round_ms * 1000);
	stop = true;
	while (nt)
		pthread_join(t[--nt], NULL);
	if (r % 2 && !vfio_dev_feature(&dev, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0))
		n.closed_engaged++;
	vfio_dev_close(&dev);
	n.rounds++;
	if (!env.quiet)
		fprintf(stderr, "vfio-stress: round %lu: %lu reads, %lu entries, %lu wake entries, "
			"%lu busy, %lu exits, %lu wakes, %lu errors%s\n", r + 1, (unsigned long)n.reads,
			(unsigned long)n.entries, (unsigned long)n.wake_entries, (unsigned long)n.busy,
			(unsigned long)n.exits, (unsigned long)n.wakes, (unsigned long)n.errors,
			r % 2 ? ", closed engaged" : "");
	return 0;
}

static long number(struct argp_state *st, const char *arg, long lo, long hi)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || v < lo || v > hi)
		argp_error(st, "'%s' is not a number from %ld to %ld", arg, lo, hi);
	return v;
}

static error_t parse_arg(int key, char *arg, struct argp_state *st)
{
	unsigned int a, b, c, f;
	char end;

	switch (key) {
	case 's': env.seconds = (int)number(st, arg, 1, 86400); break;
	case 'r': env.readers = (int)number(st, arg, 0, 16); break;
	case 'R': env.round_ms = (int)number(st, arg, 100, 600000); break;
	case 'S': env.sysfs = false; break;
	case 'q': env.quiet = true; break;
	case ARGP_KEY_ARG:
		if (st->arg_num > 0)
			argp_error(st, "one device only");
		if (sscanf(arg, "%x:%x:%x.%x%c", &a, &b, &c, &f, &end) != 4)
			argp_error(st, "'%s' is not a PCI address (DDDD:BB:DD.F)", arg);
		env.bdf = arg;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_usage(st);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, "DEVICE", doc, NULL, NULL, NULL };
	struct timespec start, now;
	double secs;

	argp_err_exit_status = 64;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 64;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (round_run(n.rounds))
			return 2;
		clock_gettime(CLOCK_MONOTONIC, &now);
		secs = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	} while (secs + env.round_ms / 1000.0 <= env.seconds);
	printf("{\"seconds\":%.1f,\"rounds\":%lu,\"reads\":%lu,\"sysfs_reads\":%lu,"
	       "\"entries\":%lu,\"wake_entries\":%lu,\"busy\":%lu,\"exits\":%lu,\"wakes\":%lu,"
	       "\"closed_engaged\":%lu,\"errors\":%lu}\n", secs, n.rounds,
	       (unsigned long)n.reads, (unsigned long)n.sysfs_reads, (unsigned long)n.entries,
	       (unsigned long)n.wake_entries, (unsigned long)n.busy, (unsigned long)n.exits,
	       (unsigned long)n.wakes, n.closed_engaged, (unsigned long)n.errors);
	return n.errors ? 1 : 0;
}
