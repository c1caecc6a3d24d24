#!/usr/bin/env bash
# Benchmark (not a test) for vfiopm-trace: in one test-VM run on the patched
# kernel, a vfio config-space pread loop (each read takes and drops one
# runtime-PM reference: two events) with no tracing, under vfiopm-trace (live
# view, --json, --no-rw), and under the equivalent bpftrace one-liners (print
# every event; count them). Prints a markdown table with ratios to the
# untraced loop, and the event rates vfiopm-trace sustained with 0 lost events.
#
#   bench/vfiopm-trace.sh [READS]        default 20000 reads per run
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --guest ]; then
	shift
	reads=$1
	tool=tools/vfiopm-trace/vfiopm-trace
	lp=tools/vfio-lowpower/vfio-lowpower
	o=$VFIOPM_OUT
	loop() {	# loop CONFIG: one timed run, "CONFIG OPS_PER_S" to results
		"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" 2>&1 |
			sed -n "s/.*: \([0-9]*\) ops\/s.*/$1 \1/p" >>"$o/results"
	}
	wait_for() {	# wait_for FILE PATTERN
		end=$(($(date +%s) + 240))
		until grep -q "$2" "$1" 2>/dev/null || [ "$(date +%s)" -ge $end ]; do sleep 0.2; done
	}
	traced() {	# traced CONFIG READY_PATTERN CMD...: loop 3 times under CMD
		name=$1 pat=$2
		shift 2
		"$@" >"$o/$name.out" 2>&1 &
		tpid=$!
		wait_for "$o/$name.out" "$pat"
		for _ in 1 2 3; do loop "$name"; done
		kill -INT $tpid
		wait $tpid
	}
	: >"$o/results"
	"$lp" -q "$VFIOPM_BDF" read-loop:2000 >/dev/null 2>&1	# warm up
	for _ in 1 2 3; do loop none; done
	traced vfiopm-trace TIME "$tool"
	traced vfiopm-trace-json '"type":"start"' "$tool" --json
	traced vfiopm-trace-no-rw TIME "$tool" --no-rw
	traced bpftrace-print Attaching bpftrace -e 'tracepoint:vfio_pci:vfio_pci_pm_get,tracepoint:vfio_pci:vfio_pci_pm_put { printf("%llu %s %d %s %d %d %d %d\n", nsecs, comm, tid, str(args->dev), args->usage_count, args->op, args->reason, args->ret); }'
	traced bpftrace-count Attaching bpftrace -e 'tracepoint:vfio_pci:vfio_pci_pm_get,tracepoint:vfio_pci:vfio_pci_pm_put { @[probe, args->reason] = count(); }'
	for _ in 1 2 3; do loop none; done
	# highest rate: two loops at once under --json
	"$tool" --json >"$o/rate.out" 2>&1 &
	tpid=$!
	wait_for "$o/rate.out" '"type":"start"'
	t0=$(date +%s.%N)
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1 &
	"$lp" -q "$VFIOPM_BDF" "read-loop:$reads" >/dev/null 2>&1
	wait %2 2>/dev/null
	t1=$(date +%s.%N)
	kill -INT $tpid
	wait $tpid
	echo "parallel $(echo "$t0 $t1" | awk -v n="$reads" '{ printf "%.0f", 2 * n / ($2 - $1) }')" >>"$o/results"
	exit 0
fi

reads=${1:-20000}
kdir=$("$top/scripts/build-kernel.sh" | tail -n 1) || exit 1
make -s -C "$top/tools/vfiopm-trace" && make -s -C "$top/tools/vfio-lowpower" || exit 1
out=$(mktemp -d /tmp/vfiopm-bench-trace.XXXXXX)
"$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" --timeout 1500 \
	--out "$out" -- bench/vfiopm-trace.sh --guest "$reads" >/dev/null || exit 1
echo "# $reads reads per run, 3 runs per configuration; results in $out"
python3 - "$out" "$reads" <<'PY'
import collections, json, re, statistics, sys
out, reads = sys.argv[1], int(sys.argv[2])
runs = collections.defaultdict(list)
for line in open(f"{out}/results"):
    name, v = line.split()
    runs[name].append(float(v))
base = statistics.median(runs["none"])
print(f"| configuration | ops/s (median of {len(runs['none'])} / 3 runs) | µs/op | slowdown vs untraced | lost events |")
print("|---|---|---|---|---|")
def lost(name):
    try:
        text = open(f"{out}/{name}.out").read()
    except OSError:
        return "-"
    m = re.search(r"lost events: (\d+)", text)
    if m:
        return m.group(1)
    n = sum(json.loads(l).get("count", 0) for l in text.splitlines()
            if l.startswith('{"type":"lost"'))
    return str(n) if name.startswith("vfiopm") or name == "rate" else "-"
for name in ("none", "vfiopm-trace", "vfiopm-trace-json", "vfiopm-trace-no-rw",
             "bpftrace-print", "bpftrace-count"):
    if not runs[name]:
        continue
    m = statistics.median(runs[name])
    print(f"| {name} | {m:.0f} | {1e6 / m:.2f} | {base / m:.2f}x ({100 * (base / m - 1):+.0f} %) | {lost(name)} |")
if runs["parallel"]:
    print(f"\nTwo loops at once under `vfiopm-trace --json`: {runs['parallel'][0]:.0f} reads/s, "
          f"{2 * runs['parallel'][0]:.0f} events/s, lost events: {lost('rate')}")
PY
