#!/usr/bin/env bash
# Benchmark (not a test) for vfiopm-trace: in one test-VM run on the patched
# kernel, a vfio config-space pread loop (each read takes and drops one
# runtime-PM reference: two events) with no tracing, under vfiopm-trace (live
# view, -a, --json, --json --no-rw), under the equivalent bpftrace one-liners
# (print every event; count them) and under an empty bpftrace program on the
# same two tracepoints (the floor: what attaching anything costs).
#
# The emulated guest on a shared host is noisy (untraced runs vary by 2x), so
# the configurations are interleaved: each round runs every configuration once,
# each tracer started, given 2 s to settle, one loop, stopped. The table shows
# the median over the rounds of each configuration, its slowdown (ratio of the
# medians) and the range of the per-round ratios to that round's untraced loop
# (how noisy the machine was). Then: the time each vfiopm-trace program takes per run
# (kernel.bpf_stats_enabled, median of 3 separate loops), and the event rate
# vfiopm-trace --json sustained with two loops at once.
#
#   bench/vfiopm-trace.sh [READS [ROUNDS]]   default 20000 reads per loop, 5 rounds
#   bench/vfiopm-trace.sh --report DIR READS the tables again from a run's results
#   VFIOPM_TRACE_BASELINE=DIR                also run DIR/vfiopm-trace (an earlier
#                                            build, DIR under the project tree so the
#                                            guest sees it) as config vfiopm-trace-base
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
configs="none bpf-empty vfiopm-trace vfiopm-trace-all vfiopm-trace-json vfiopm-trace-json-no-rw bpftrace-print bpftrace-count"
base_dir=${VFIOPM_TRACE_BASELINE:-}
[ -n "$base_dir" ] && configs="$configs vfiopm-trace-base vfiopm-trace-json-base"
if [ "${1:-}" = --guest ]; then
	reads=$2 rounds=$3 base_dir=${4:-}
	[ -n "$base_dir" ] && configs="$configs vfiopm-trace-base vfiopm-trace-json-base"
	tool=tools/vfiopm-trace/vfiopm-trace
	lp=tools/vfio-lowpower/vfio-lowpower
	o=$VFIOPM_OUT
	bt_pm='tracepoint:vfio_pci:vfio_pci_pm_get,tracepoint:vfio_pci:vfio_pci_pm_put'
	loop() {	# loop NAME: one timed loop, "NAME OPS_PER_S" to results
		"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" 2>&1 |
			sed -n "s/.*: \([0-9]*\) ops\/s.*/$1 \1/p" >>"$o/results"
	}
	wait_for() {	# wait_for FILE PATTERN
		end=$(($(date +%s) + 240))
		until grep -q "$2" "$1" 2>/dev/null || [ "$(date +%s)" -ge $end ]; do sleep 0.2; done
	}
	start() {	# start NAME READY_PATTERN CMD...: tracer in the background, settled
		name=$1 pat=$2
		shift 2
		"$@" >"$o/cur.out" 2>&1 &
		tpid=$!
		wait_for "$o/cur.out" "$pat"
		sleep 2
	}
	stop() { kill -INT $tpid; wait $tpid; cat "$o/cur.out" >>"$o/$name.out"; }
	traced() {	# traced NAME READY_PATTERN CMD...: one loop under CMD
		start "$@"
		loop "$1"
		stop
	}
	run_config() {
		case $1 in
		none) loop none ;;
		bpf-empty) traced "$1" Attaching bpftrace -e "$bt_pm { }" ;;
		vfiopm-trace) traced "$1" TIME "$tool" ;;
		vfiopm-trace-all) traced "$1" TIME "$tool" -a ;;
		vfiopm-trace-json) traced "$1" '"type":"start"' "$tool" --json ;;
		vfiopm-trace-json-no-rw) traced "$1" '"type":"start"' "$tool" --json --no-rw ;;
		bpftrace-print) traced "$1" Attaching bpftrace -e "$bt_pm"' { printf("%llu %s %d %s %d %d %d %d\n", nsecs, comm, tid, str(args->dev), args->usage_count, args->op, args->reason, args->ret); }' ;;
		bpftrace-count) traced "$1" Attaching bpftrace -e "$bt_pm"' { @[probe, args->reason] = count(); }' ;;
		vfiopm-trace-base) traced "$1" TIME "$base_dir/vfiopm-trace" ;;
		vfiopm-trace-json-base) traced "$1" '"type":"start"' "$base_dir/vfiopm-trace" --json ;;
		esac
	}
	: >"$o/results"
	"$lp" -q "$VFIOPM_BDF" read-loop:2000 >/dev/null 2>&1	# warm up
	for r in $(seq "$rounds"); do
		echo "round $r" >>"$o/results"
		for c in $configs; do run_config "$c"; done
	done
	# where the time goes: run time per program under the default view, per loop
	start stats TIME "$tool"
	sysctl -qw kernel.bpf_stats_enabled=1
	bpftool -j prog show >"$o/progs.0.json"
	for i in 1 2 3; do
		loop stats
		bpftool -j prog show >"$o/progs.$i.json"
	done
	sysctl -qw kernel.bpf_stats_enabled=0
	stop
	# highest rate: two loops at once under --json
	start rate '"type":"start"' "$tool" --json
	t0=$(date +%s.%N)
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1 &
	lpid=$!
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1
	wait $lpid
	t1=$(date +%s.%N)
	stop
	echo "parallel $(echo "$t0 $t1" | awk -v n="$reads" '{ printf "%.0f", 2 * n / ($2 - $1) }')" >>"$o/results"
	exit 0
fi

if [ "${1:-}" = --report ]; then
	out=${2:?--report DIR READS} reads=${3:?--report DIR READS}
else
	reads=${1:-20000} rounds=${2:-5}
	kdir=$("$top/scripts/build-kernel.sh" | tail -n 1) || exit 1
	make -s -C "$top/tools/vfiopm-trace" && make -s -C "$top/tools/vfio-lowpower" || exit 1
	out=$(mktemp -d /tmp/vfiopm-bench-trace.XXXXXX)
	"$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" --timeout 2400 \
		--out "$out" -- bench/vfiopm-trace.sh --guest "$reads" "$rounds" "${base_dir#"$top"/}" >/dev/null || exit 1
fi
echo "# $reads reads per loop, $(grep -c '^round' "$out/results") interleaved rounds; results in $out"
python3 - "$out" "$reads" "$configs" <<'PY'
import collections, json, re, statistics, sys
out, reads, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
rounds, ops = [], collections.defaultdict(list)
for line in open(f"{out}/results"):
    name, v = line.split()
    if name == "round":
        rounds.append({})
        continue
    ops[name].append(float(v))
    if rounds and name in configs:
        rounds[-1][name] = float(v)
def lost(name):
    try:
        text = open(f"{out}/{name}.out").read()
    except OSError:
        return "-"
    if not name.startswith("vfiopm") and name != "rate":
        return "-"
    n = sum(int(m) for m in re.findall(r"lost events: (\d+)", text))
    n += sum(json.loads(l).get("count", 0) for l in text.splitlines()
             if l.startswith('{"type":"lost"'))
    return str(n)
print("| configuration | reads/s (median) | µs/read | slowdown vs untraced | per-round ratios (min–max) | lost events |")
print("|---|---|---|---|---|---|")
base = statistics.median(ops["none"]) if ops["none"] else 0
for name in configs:
    if not ops[name] or not base:
        continue
    m = statistics.median(ops[name])
    r = [rd["none"] / rd[name] for rd in rounds if name in rd and "none" in rd]
    print(f"| {name} | {m:.0f} | {1e6 / m:.2f} | {base / m:.2f}x | "
          f"{min(r):.2f}–{max(r):.2f} | {lost(name)} |")
def prog_stats(i):
    try:
        return {p["id"]: p for p in json.load(open(f"{out}/progs.{i}.json")) if "run_cnt" in p}
    except (OSError, ValueError):
        return {}
snaps = [prog_stats(i) for i in range(4)]
loops = collections.defaultdict(list)	# name -> [(runs, ns)] per loop
for a, b in zip(snaps, snaps[1:]):
    for pid, p in b.items():
        runs = p["run_cnt"] - a.get(pid, {}).get("run_cnt", 0)
        if runs > 0:
            loops[p["name"]].append((runs, p["run_time_ns"] - a.get(pid, {}).get("run_time_ns", 0)))
if loops:
    print(f"\nvfiopm-trace (default view) per program, kernel.bpf_stats_enabled=1, loops of "
          f"{reads} reads, median of {len(snaps) - 1} loops (programs that ran once or more per read):\n")
    print("| program | runs/read | ns/run | ns/read |")
    print("|---|---|---|---|")
    total = 0
    rows = []
    for name, l in loops.items():
        runs = statistics.median(r for r, _ in l)
        ns_run = statistics.median(ns / r for r, ns in l)
        if runs >= reads:
            rows.append((ns_run * runs / reads, name, runs / reads, ns_run))
    for per_read, name, rpr, ns_run in sorted(rows, reverse=True):
        total += per_read
        print(f"| {name} | {rpr:.2f} | {ns_run:.0f} | {per_read:.0f} |")
    print(f"| all | | | {total:.0f} |")
if ops["parallel"]:
    print(f"\nTwo loops at once under `vfiopm-trace --json`: {ops['parallel'][0]:.0f} reads/s, "
          f"{2 * ops['parallel'][0]:.0f} events/s, lost events: {lost('rate')}")
PY
