// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vfiopm-trace: live view of the runtime-PM usage count of vfio-pci devices,
 * with imbalance flags (docs/design.md, "Balance rules"). See docs/vfiopm-trace.md.
 */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "report.h"
#include "vfiopm-trace.skel.h"

#define EXIT_IMBALANCE 1
#define EXIT_CANNOT 2
#define EXIT_USAGE 64

struct env env;

const char *argp_program_version = "vfiopm-trace 0.1";
static const char doc[] =
	"Trace the runtime-PM usage count of vfio-pci devices and flag unbalanced get/put.\n"
	"\n"
	"EXAMPLES:\n"
	"  vfiopm-trace                  # live view of every vfio-pci device\n"
	"  vfiopm-trace -a               # ... with every region/ioctl get and put\n"
	"  vfiopm-trace -d 0000:01:00.0  # one device\n"
	"  vfiopm-trace --json > log     # JSON lines for vfiopm-check\n"
	"  vfiopm-trace -w rec.vfr       # every event, binary: vfiopm-check rec.vfr\n"
	"  vfiopm-trace -r rec.vfr -s -H # the summary and histograms of a recording\n"
	"  vfiopm-trace -s -H --duration 60 --fail-on-imbalance\n"
	"\n"
	"Exit status: 0 ok, 1 imbalance flagged (--fail-on-imbalance), 2 cannot trace\n"
	"here (privileges, BTF, no vfio, unknown device), 64 usage error.";

enum { OPT_JSON = 1000, OPT_DURATION, OPT_STACKS, OPT_FAIL, OPT_NO_RW, OPT_VERIFY, OPT_PROM };

static const struct argp_option opts[] = {
	{ "device", 'd', "BDF", 0, "Trace only this device (repeatable)", 0 },
	{ "pid", 'p', "PID", 0, "Show only this process's events (state is still followed)", 0 },
	{ "json", OPT_JSON, NULL, 0, "One JSON object per line (docs/json.md)", 0 },
	{ "summary", 's', NULL, 0, "Only the per-device summary (and flags), no event lines", 0 },
	{ "hist", 'H', NULL, 0, "Latency and residency histograms (log2, usecs)", 0 },
	{ "interval", 'i', "SECS", 0, "Print summary/histograms every SECS seconds", 0 },
	{ "prom", OPT_PROM, "FILE", 0, "Write Prometheus metrics to FILE for node_exporter's "
	  "textfile collector, atomically, every -i SECS (default 15) and at exit "
	  "(docs/metrics.md)", 0 },
	{ "duration", OPT_DURATION, "SECS", 0, "Stop after SECS seconds", 0 },
	{ "stacks", OPT_STACKS, NULL, 0, "Print kernel stacks of flagged references", 0 },
	{ "fail-on-imbalance", OPT_FAIL, NULL, 0, "Exit 1 when anything was flagged", 0 },
	{ "all", 'a', NULL, 0,
	  "Live view: also show region read/write and ioctl get/put that balance", 0 },
	{ "no-rw", OPT_NO_RW, NULL, 0,
	  "--json: leave out region read/write and ioctl get/put that balance", 0 },
	{ "verify", OPT_VERIFY, NULL, 0,
	  "Load each BPF program through the verifier, print one TAP line each, exit", 0 },
	{ "write", 'w', "FILE", 0, "Record every event and finding to FILE in the binary record "
	  "format (docs/record-format.md), for vfiopm-check FILE and -r; stdout shows only "
	  "--json, if given", 0 },
	{ "read", 'r', "FILE", 0, "Replay FILE, written by -w: no BPF, no privileges; --json, "
	  "-s, -H, -a, --no-rw, --stacks, -d and -p choose the view as live", 0 },
	{ "verbose", 'v', NULL, 0, "libbpf debug output", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show this help", 0 },
	{},
};

static long num_arg(const char *arg, struct argp_state *state, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v < min)
		argp_error(state, "invalid number: %s", arg);
	return v;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'd':
		if (!pci_bdf_valid(arg))
			argp_error(state, "invalid device '%s': want DDDD:BB:DD.F, e.g. 0000:01:00.0", arg);
		if (env.ndevs == MAX_DEVS)
			argp_error(state, "too many devices");
		for (char *c = arg; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		memcpy(env.devs[env.ndevs++], arg, 13);
		break;
	case 'p': env.pid = (int)num_arg(arg, state, 1); break;
	case OPT_JSON: env.json = true; break;
	case 's': env.summary = true; break;
	case 'H': env.hist = true; break;
	case 'i': env.interval = (int)num_arg(arg, state, 1); break;
	case OPT_DURATION: env.duration = (int)num_arg(arg, state, 1); break;
	case OPT_STACKS: env.stacks = true; break;
	case OPT_FAIL: env.fail_on_imbalance = true; break;
	case 'a': env.all = true; break;
	case OPT_NO_RW: env.no_rw = true; break;
	case OPT_VERIFY: env.verify = true; break;
	case OPT_PROM:
		if (!*arg)
			argp_error(state, "--prom wants a file name");
		env.prom = arg;
		break;
	case 'w':
	case 'r':
		if (!*arg)
			argp_error(state, "-%c wants a file name", key);
		*(key == 'w' ? &env.write : &env.replay) = arg;
		break;
	case 'v': env.verbose = true; break;
	case 'h': argp_state_help(state, stderr, ARGP_HELP_STD_HELP); break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument: %s", arg); break;
	case ARGP_KEY_END:
		if (env.all && env.no_rw)
			argp_error(state, "-a/--all and --no-rw contradict each other");
		if (env.replay && (env.write || env.prom || env.interval || env.duration || env.verify))
			argp_error(state, "-r replays a recording: -w, --prom, -i, --duration and "
				   "--verify are for a live run");
		if (env.write && env.all && !env.json)
			argp_error(state, "-w records every event; -a is for the live view, which -w "
				   "does not show (add --json for a view on stdout)");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static volatile sig_atomic_t exiting;
static void on_signal(int sig) { (void)sig; exiting = 1; }

/* a trial load's refusal is an answer, not an error to show */
static bool libbpf_quiet;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if ((level == LIBBPF_DEBUG || libbpf_quiet) && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* ---- programs and what each needs ---- */

enum { K_TP, K_FUNC };
enum { M_FULL = 1, M_STOCK = 2 };

struct prog_desc {
	const char *name;	/* skeleton program name */
	int kind;
	const char *target;
	int modes;
};

static const struct prog_desc progs[] = {
	{ "vfio_device_pm_get", K_TP, "vfio_device_pm_get", M_FULL },
	{ "vfio_device_pm_put", K_TP, "vfio_device_pm_put", M_FULL },
	{ "vfio_pci_pm_get", K_TP, "vfio_pci_pm_get", M_FULL },
	{ "vfio_pci_pm_put", K_TP, "vfio_pci_pm_put", M_FULL },
	{ "vfio_pci_runtime_suspend", K_TP, "vfio_pci_runtime_suspend", M_FULL },
	{ "vfio_pci_runtime_resume", K_TP, "vfio_pci_runtime_resume", M_FULL },
	{ "vfio_pci_low_power_entry", K_TP, "vfio_pci_low_power_entry", M_FULL },
	{ "vfio_pci_low_power_exit", K_TP, "vfio_pci_low_power_exit", M_FULL },
	{ "vfio_pci_wake_signal", K_TP, "vfio_pci_wake_signal", M_FULL },
	{ "vfio_pci_set_power_state", K_TP, "vfio_pci_set_power_state", M_FULL },
	{ "rpm_resume", K_TP, "rpm_resume", M_FULL | M_STOCK },
	{ "rpm_idle", K_TP, "rpm_idle", M_FULL | M_STOCK },
	{ "rpm_suspend", K_TP, "rpm_suspend", M_FULL | M_STOCK },
	{ "rpm_usage", K_TP, "rpm_usage", M_FULL | M_STOCK },
	{ "pci_pm_runtime_suspend", K_FUNC, "pci_pm_runtime_suspend", M_FULL | M_STOCK },
	{ "pci_pm_runtime_resume", K_FUNC, "pci_pm_runtime_resume", M_STOCK },
	{ "pci_pm_runtime_resume_entry", K_FUNC, "pci_pm_runtime_resume", M_FULL | M_STOCK },
	{ "pm_runtime_idle_exit", K_FUNC, "__pm_runtime_idle", M_FULL | M_STOCK },
	{ "vfio_pci_core_ioctl_feature", K_FUNC, "vfio_pci_core_ioctl_feature", M_STOCK },
	{ "vfio_pci_core_runtime_resume", K_FUNC, "vfio_pci_core_runtime_resume", M_STOCK },
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

/* Loads program d alone, in stock or full mode; 0 or a negative errno. */
static int load_alone(const struct prog_desc *d, bool stock)
{
	struct vfiopm_trace_bpf *o = vfiopm_trace_bpf__open();
	struct bpf_program *p;
	int err;

	if (!o)
		return -errno ?: -ENOMEM;
	o->rodata->stock_mode = stock;
	bpf_object__for_each_program(p, o->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), d->name));
	err = vfiopm_trace_bpf__load(o);
	vfiopm_trace_bpf__destroy(o);
	return err;
}

/*
 * Without tracefs nothing says whether ftrace may patch the function, so a
 * trial load decides, and a refusal is reported as the kernel's, not ours.
 */
static bool trial_load(const struct prog_desc *d)
{
	static char why[192];
	int err;

	libbpf_quiet = true;
	err = load_alone(d, !(d->modes & M_FULL));
	libbpf_quiet = false;

	if (!err)
		return true;
	snprintf(why, sizeof(why), "the kernel refused the fentry/fexit program (%s); %s",
		 strerror(-err), tracefs_note);
	probe_why = why;
	return false;
}

static bool target_present(const struct prog_desc *d)
{
	if (d->kind == K_TP)
		return probe_tp_btf(d->target);
	switch (probe_func(d->target)) {
	case PROBE_YES:
		return true;
	case PROBE_TRY:
		return trial_load(d);
	default:
		return false;
	}
}

/* --verify: every program through the verifier on its own, in each mode it runs in. */
static int verify_one(const struct prog_desc *d, bool stock)
{
	const char *mode = stock ? "stock" : "full";
	int err = load_alone(d, stock);

	if (err)
		printf("not ok - verifier: %s (%s mode): %s\n", d->name, mode, strerror(-err));
	else
		printf("ok - verifier: %s (%s mode)\n", d->name, mode);
	return !!err;
}

static int verify_all(void)
{
	int failed = 0;

	for (size_t i = 0; i < NPROGS; i++) {
		if (!target_present(&progs[i])) {
			printf("ok - verifier: %s # SKIP %s: %s\n", progs[i].name, progs[i].target,
			       probe_why);
			continue;
		}
		if (progs[i].modes & M_FULL)
			failed |= verify_one(&progs[i], false);
		if (progs[i].modes & M_STOCK)
			failed |= verify_one(&progs[i], true);
	}
	if (*tracefs_note)
		printf("# vfiopm-trace: %s\n", tracefs_note);
	return failed;
}

/* ---- the run ---- */

static struct vfiopm_trace_bpf *obj;

static bool have_caps(char *missing, size_t n)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	__u64 eff;

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data)) {
		snprintf(missing, n, "root");
		return false;
	}
	eff = data[0].effective | ((__u64)data[1].effective << 32);
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return true;
	if ((eff & (1ULL << 39)) && (eff & (1ULL << 38)))	/* CAP_BPF, CAP_PERFMON */
		return true;
	snprintf(missing, n, "root, or CAP_BPF and CAP_PERFMON");
	return false;
}

/* The count walk starts from sysfs, read before attaching. */
static void seed_counts(void)
{
	char names[MAX_DEVS][DEV_NAME_LEN];
	int n = vfio_pci_devices("/sys", names, MAX_DEVS);

	for (int i = 0; i < n; i++) {
		struct sysfs_state ss;
		char k[DEV_NAME_LEN] = {};

		read_sysfs_state("/sys", names[i], &ss);
		if (ss.usage < 0)
			continue;
		memcpy(k, names[i], 13);
		bpf_map_update_elem(bpf_map__fd(obj->maps.seed), k, &ss.usage, BPF_ANY);
	}
}

static int check_devices(void)
{
	char names[MAX_DEVS][DEV_NAME_LEN];
	int n = vfio_pci_devices("/sys", names, MAX_DEVS);

	for (int i = 0; i < env.ndevs; i++) {
		bool found = false;

		for (int j = 0; j < n; j++)
			found |= !strcmp(env.devs[i], names[j]);
		if (found)
			continue;
		fprintf(stderr, "vfiopm-trace: %s is not bound to vfio-pci; vfio-pci devices:",
			env.devs[i]);
		for (int j = 0; j < n; j++)
			fprintf(stderr, " %s", names[j]);
		fprintf(stderr, "%s\n", n > 0 ? "" : " none");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, NULL, doc, NULL, NULL, NULL };
	struct ring_buffer *rb = NULL;
	struct probe pr;
	char missing[64];
	__u64 next_interval, deadline, next_prom, prom_every;
	int err;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return EXIT_USAGE;
	libbpf_set_print(libbpf_print);
	if (env.replay)
		return replay(env.replay);

	if (!have_caps(missing, sizeof(missing))) {
		fprintf(stderr, "vfiopm-trace: needs %s to load BPF programs\n", missing);
		return EXIT_CANNOT;
	}
	probe_kernel(&pr);
	if (!pr.btf) {
		fprintf(stderr, "vfiopm-trace: kernel has no BTF (/sys/kernel/btf/vmlinux missing): "
				"needs CONFIG_DEBUG_INFO_BTF=y\n");
		return EXIT_CANNOT;
	}
	if (env.verify)
		return verify_all() ? EXIT_CANNOT : 0;
	if (!pr.vfio) {
		fprintf(stderr, "vfiopm-trace: kernel has no vfio-pci (no driver in "
				"/sys/bus/pci/drivers, no BTF): load it (modprobe vfio-pci) or "
				"build it (CONFIG_VFIO_PCI)\n");
		return EXIT_CANNOT;
	}
	if (check_devices())
		return EXIT_CANNOT;
	if (env.write && record_open(env.write))
		return EXIT_CANNOT;
	full_mode = pr.full;

	obj = vfiopm_trace_bpf__open();
	if (!obj) {
		fprintf(stderr, "vfiopm-trace: cannot open the BPF object\n");
		return EXIT_CANNOT;
	}
	obj->rodata->targ_tgid = env.pid;
	obj->rodata->filter_dev = env.ndevs > 0;
	obj->rodata->stock_mode = !full_mode;
	/* a person reads transitions and flags; a log for vfiopm-check keeps everything */
	obj->rodata->quiet_rw = env.json || env.write ? env.no_rw : !env.all;
	/* the site of a vfio get/put is within six frames (bpf/vfiopm-trace.bpf.c) */
	obj->rodata->site_frames = env.stacks ? SITE_DEPTH : 6;
	ksyms = ksyms_load("/proc/kallsyms");
	if (ksyms_range(ksyms, "pci_config_pm_runtime_put", &obj->rodata->config_put_lo,
			&obj->rodata->config_put_hi) && full_mode && !env.json)
		printf("vfiopm-trace: pci_config_pm_runtime_put not in kallsyms: a sysfs config "
		       "reader's put will show as made outside vfio\n");
	for (size_t i = 0; i < NPROGS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj->obj, progs[i].name);
		bool on = (progs[i].modes & (full_mode ? M_FULL : M_STOCK)) &&
			  target_present(&progs[i]);

		if (p)
			bpf_program__set_autoload(p, on);
		if (on && !full_mode && !strcmp(progs[i].name, "vfio_pci_core_runtime_resume"))
			stock_vfio_funcs = true;
		if (!on && (progs[i].modes & (full_mode ? M_FULL : M_STOCK)) && !env.json)
			printf("vfiopm-trace: %s not attachable here: %s\n", progs[i].target,
			       probe_why);
	}
	if (*tracefs_note)	/* on stderr for --json: a log line would break the stream */
		fprintf(env.json ? stderr : stdout, "vfiopm-trace: %s\n", tracefs_note);
	err = vfiopm_trace_bpf__load(obj);
	if (err) {
		fprintf(stderr, "vfiopm-trace: loading BPF programs failed: %s (rerun with -v)\n",
			strerror(-err));
		goto cleanup;
	}
	for (int i = 0; i < env.ndevs; i++) {
		char k[DEV_NAME_LEN] = {};
		__u8 one = 1;

		memcpy(k, env.devs[i], 13);
		bpf_map_update_elem(bpf_map__fd(obj->maps.dev_filter), k, &one, BPF_ANY);
	}
	seed_counts();
	bpf_obj = obj->obj;
	fds = (struct map_fds){
		.devs = bpf_map__fd(obj->maps.devs), .refs = bpf_map__fd(obj->maps.refs),
		.stash = bpf_map__fd(obj->maps.stash), .stacks = bpf_map__fd(obj->maps.stacks),
		.hists = bpf_map__fd(obj->maps.hists), .lost = bpf_map__fd(obj->maps.lost),
	};
	err = vfiopm_trace_bpf__attach(obj);
	if (err) {
		fprintf(stderr, "vfiopm-trace: attaching BPF programs failed: %s\n", strerror(-err));
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(obj->maps.events), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "vfiopm-trace: ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!isatty(STDOUT_FILENO))	/* fewer writes; flushed after every poll */
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	t0 = now_ns();
	/* before the start record: whoever waits for that finds the file */
	if (env.prom && write_prom(env.prom)) {
		err = -1;
		goto cleanup;
	}
	if (print_start()) {
		err = -1;
		goto cleanup;
	}
	if (env.write)	/* once attached: what a wrapper waits for */
		fprintf(stderr, "vfiopm-trace: recording to %s (Ctrl-C to stop)\n", env.write);
	prom_every = (__u64)(env.interval ? env.interval : 15) * 1000000000ULL;
	next_prom = t0 + prom_every;

	next_interval = env.interval ? t0 + (__u64)env.interval * 1000000000ULL : 0;
	deadline = env.duration ? t0 + (__u64)env.duration * 1000000000ULL : 0;
	while (!exiting) {
		__u64 now;

		err = ring_buffer__poll(rb, 100);
		/* most events are submitted without a wake-up (see submit()): drain anyway */
		if (err >= 0)
			err = ring_buffer__consume(rb);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "vfiopm-trace: ring buffer poll: %s\n", strerror(-err));
			break;
		}
		err = 0;
		if (full_mode) {
			scan_foreign(50000000ULL, false);
			leak_scan(now_ns());
		}
		check_lost();
		fflush(stdout);
		record_flush();
		now = now_ns();
		if (next_interval && now >= next_interval) {
			print_summary(false);
			next_interval += (__u64)env.interval * 1000000000ULL;
		}
		if (env.prom && now >= next_prom) {
			write_prom(env.prom);
			next_prom += prom_every;
		}
		if (deadline && now >= deadline)
			break;
	}
	ring_buffer__consume(rb);
	print_summary(true);
	if (env.prom && write_prom(env.prom))
		err = -1;
	if (recw && record_close(lost_seen))
		err = -1;
cleanup:
	ring_buffer__free(rb);
	vfiopm_trace_bpf__destroy(obj);
	ksyms_free(ksyms);
	for (int i = 0; i < ndusers; i++)
		samples_free(&dusers[i].resume);
	if (err)
		return EXIT_CANNOT;
	return env.fail_on_imbalance && nflagged ? EXIT_IMBALANCE : 0;
}
