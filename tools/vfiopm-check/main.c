// SPDX-License-Identifier: GPL-2.0
/* vfiopm-check: assert vfio runtime-PM reference balance from trace logs. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "timeline.h"

#define EXIT_USAGE 64
#define EXIT_IOERR 74
#define MAX_DEVS 64

const char *argp_program_version = "vfiopm-check 0.1";
const char *argp_program_bug_address = "the vfiopm issue tracker";

static const char doc[] =
"Assert that every vfio runtime-PM reference taken in a trace log is released "
"and that nothing underflowed.\v"
"FORMATS (auto-detected per input; --format forces one):\n"
"  ftrace  the tracefs 'trace' file (with its '# tracer:' header),\n"
"          'trace_pipe', and 'trace-cmd report' output\n"
"  perf    'perf script' default output; run it with --show-lost-events\n"
"          so that lost records are visible\n"
"  json    vfiopm-trace --json, one object per line (docs/json.md)\n"
"  record  vfiopm-trace -w FILE, binary (docs/record-format.md): known by\n"
"          its first bytes, from a file (not stdin); the fastest to read,\n"
"          and a file cut short or corrupt is inconclusive\n"
"Other tracepoints, headers and unknown vfio events are counted (list\n"
"them with -v); nothing is dropped silently. Events from several CPUs\n"
"are put back in timestamp order within --reorder-window.\n"
"\n"
"RULES (per device, per pairing):\n"
"  ioctl        vfio_device_pm_get/put, per task (one ioctl at a time)\n"
"  region       region_rw get/put per task\n"
"  session      enable get / disable put, per open session\n"
"  low_power    low_power_entry put_noidle / low_power_exit get_noresume\n"
"               per engagement; a close while engaged is an ENTRY\n"
"               without EXIT at close\n"
"  binding      register put / unregister get_noresume (inverted)\n"
"  sriov, reset get/put per device\n"
"  usage_count  a count read on one CPU races the others, so it is\n"
"               judged only where it is known. At a runtime suspend it\n"
"               was 0: a per-task reference still held must be put by\n"
"               its task's next event, and an open session not in low\n"
"               power must be closing; otherwise a reference was dropped\n"
"               outside vfio (held_at_suspend). A put with ret=-22, or a\n"
"               low-power ENTRY's put_noidle that leaves the count at 0,\n"
"               is an underflow reported by the kernel.\n"
"At end of log: gets never put are leaks (with their age); a count\n"
"above 0 while vfio holds no reference means the device is held active\n"
"outside vfio; --expect-idle also fails any session still open.\n"
"A release whose get is not in the log is an underflow once the device's\n"
"session (enable) or binding (register) start is in the log; without it\n"
"the device cannot be baselined and the result is inconclusive.\n"
"\n"
"EXIT STATUS:\n"
"  0   balanced\n"
"  1   imbalance (a definitive one wins over inconclusive)\n"
"  2   inconclusive: lost events, log cut at start or end, malformed\n"
"      vfio lines, a device whose session starts before the log, or\n"
"      no vfio events at all\n"
"  64  usage error: bad option, or a log format it cannot recognise\n"
"  74  I/O error (the file is named on stderr)\n"
"\n"
"EXAMPLE:\n"
"  cd /sys/kernel/tracing\n"
"  echo 1 > events/vfio/enable; echo 1 > events/vfio_pci/enable\n"
"  ./workload; cat trace > /tmp/run.trace\n"
"  vfiopm-check --expect-idle --junit report.xml /tmp/run.trace\n"
"\n"
"Full documentation: docs/vfiopm-check.md\n";

enum { OPT_JSON = 0x100, OPT_JUNIT, OPT_EXPECT_IDLE, OPT_WINDOW, OPT_TIMELINE };

static const struct argp_option options[] = {
	{ "format", 'f', "FMT", 0, "Force the input format: ftrace, perf or json", 0 },
	{ "device", 'd', "BDF", 0, "Only check this device (DDDD:BB:DD.F); repeatable", 0 },
	{ "json", OPT_JSON, NULL, 0, "Write the report as one JSON document", 0 },
	{ "junit", OPT_JUNIT, "FILE", 0, "Also write JUnit XML to FILE (one test case per device)", 0 },
	{ "timeline", OPT_TIMELINE, "FILE", 0, "Also write a power timeline to FILE: one self-contained "
	  "HTML page, a lane per device (docs/vfiopm-check.md)", 0 },
	{ "expect-idle", OPT_EXPECT_IDLE, NULL, 0,
	  "Every device must end with vfio holding no reference (sessions closed)", 0 },
	{ "quiet", 'q', NULL, 0, "No report; the exit status says it all", 0 },
	{ "verbose", 'v', NULL, 0, "List ignored and unparsed lines on stderr", 0 },
	{ "reorder-window", OPT_WINDOW, "MS", 0, "Timestamp reorder window (default 10 ms)", 0 },
	{ 0 }
};

struct args {
	struct input_opts io;
	const char *devs[MAX_DEVS + 1];
	int ndevs;
	int json, quiet;
	const char *junit, *timeline;
	char **files;
	int nfiles;
};

static long number(struct argp_state *st, const char *arg, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < lo || v > hi)
		argp_error(st, "invalid number '%s' (%ld..%ld)", arg, lo, hi);
	return v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;

	switch (key) {
	case 'f':
		a->io.force = fmt_from_name(arg);
		if (a->io.force == FMT_UNKNOWN)
			argp_error(st, "unknown format '%s' (ftrace, perf, json)", arg);
		break;
	case 'd':
		if (!valid_bdf(arg))
			argp_error(st, "'%s' is not a PCI device name like 0000:00:02.0", arg);
		if (a->ndevs == MAX_DEVS)
			argp_error(st, "at most %d -d options", MAX_DEVS);
		a->devs[a->ndevs++] = arg;
		break;
	case OPT_JSON:
		a->json = 1;
		break;
	case OPT_JUNIT:
		a->junit = arg;
		break;
	case OPT_TIMELINE:
		a->timeline = arg;
		break;
	case OPT_EXPECT_IDLE:
		a->io.check.expect_idle = 1;
		break;
	case 'q':
		a->quiet = 1;
		break;
	case 'v':
		a->io.verbose = 1;
		break;
	case OPT_WINDOW:
		a->io.window_ns = (uint64_t)number(st, arg, 0, 60000) * 1000000ULL;
		break;
	case ARGP_KEY_ARGS:
		a->files = st->argv + st->next;
		a->nfiles = st->argc - st->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static char *stdin_only[] = { "-", NULL };

int main(int argc, char **argv)
{
	struct argp argp = { options, parse_opt, "[FILE...]", doc, NULL, NULL, NULL };
	struct args a;
	struct timeline *tls;
	struct input *ins;
	int code = 0, inc = 0, imb = 0, ioerr = 0, usage = 0;

	memset(&a, 0, sizeof(a));
	a.io.window_ns = 10000000ULL;
	a.io.vout = stderr;
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return EXIT_USAGE;
	a.io.check.devs = a.ndevs ? a.devs : NULL;
	if (!a.nfiles) {
		a.files = stdin_only;
		a.nfiles = 1;
	}
	ins = calloc((size_t)a.nfiles, sizeof(*ins));
	if (!ins) {
		perror("vfiopm-check");
		return 70;
	}
	tls = calloc((size_t)a.nfiles, sizeof(*tls));
	if (!tls) {
		perror("vfiopm-check");
		return 70;
	}
	for (int i = 0; i < a.nfiles; i++) {
		struct input *in = &ins[i];
		int v;

		if (a.timeline) {
			a.io.check.observe = timeline_observe;
			a.io.check.observe_ctx = &tls[i];
		}
		input_run(in, a.files[i], &a.io);
		timeline_end(&tls[i]);
		if (in->io_err) {
			fprintf(stderr, "vfiopm-check: %s: %s\n", in->name, in->err);
			ioerr = 1;
			continue;
		}
		if (in->usage_err) {
			fprintf(stderr, "vfiopm-check: %s: %s\n", in->name, in->err);
			usage = 1;
			continue;
		}
		v = checker_verdict(&in->ck);
		imb |= v == 1;
		inc |= v == 2;
	}
	code = usage ? EXIT_USAGE : ioerr ? EXIT_IOERR : imb ? 1 : inc ? 2 : 0;
	if (a.json)
		report_json(stdout, ins, (size_t)a.nfiles, code);
	else if (!a.quiet)
		report_human(stdout, ins, (size_t)a.nfiles, code);
	if (a.junit) {
		int err = report_junit(a.junit, ins, (size_t)a.nfiles);

		if (err) {
			fprintf(stderr, "vfiopm-check: %s: %s\n", a.junit, strerror(err));
			code = EXIT_IOERR;
		}
	}
	if (a.timeline) {
		int err = timeline_write(a.timeline, ins, tls, (size_t)a.nfiles);

		if (err) {
			fprintf(stderr, "vfiopm-check: %s: %s\n", a.timeline, strerror(err));
			code = EXIT_IOERR;
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vfiopm-check: <stdout>: write error\n");
		code = EXIT_IOERR;
	}
	for (int i = 0; i < a.nfiles; i++) {
		input_free(&ins[i]);
		timeline_free(&tls[i]);
	}
	free(ins);
	free(tls);
	return code;
}
