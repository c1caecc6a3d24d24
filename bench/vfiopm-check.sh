#!/usr/bin/env bash
# Benchmark (not a test) for vfiopm-check: on generated, realistic ftrace logs of
# 100 MiB and 1 GiB, compare its throughput with `wc -l` and with an awk script
# doing the same get/put pairing, and record peak RSS; and vfiopm-check on a
# record file of vfiopm-trace -w holding the same vfio events (bench/gen-record.py),
# compared by events per second. Every contender runs
# ROUNDS times, interleaved, on the same file; prints markdown tables: median
# wall time with min-max, and each ratio taken per round (median, min-max).
#
#   bench/vfiopm-check.sh [SIZES_MIB...]     default: 100 1024
#   VFIOPM_BENCH_ROUNDS=5                    rounds per size
#   VFIOPM_CHECK_BASELINE=PATH               also time this vfiopm-check binary
#                                            (an earlier build), side by side
# Needs ~1.1 GiB free in $TMPDIR (deleted afterwards).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tool=$top/tools/vfiopm-check/vfiopm-check
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1024)

make -s -C "$top/tools/vfiopm-check" all
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfiopm-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A balanced log: two devices bound and opened, then tasks doing ioctls and
# config-space reads on both CPUs, with scheduler noise in between (about a
# third of the lines are other tracepoints), closed at the end.
gen() {	# gen FILE MIB
	python3 - "$1" "$2" <<'PY'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
limit = mib << 20
A, B = "0000:00:02.0", "0000:00:03.0"
def line(ts, cpu, comm, pid, name, payload):
    return f"{comm:>16}-{pid:<7}[{cpu:03d}] ..... {ts:12.6f}: {name}: {payload}\n"
with open(path, "w") as f:
    f.write("# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:2\n#\n")
    ts = 100.0
    out = []
    for dev, pid in ((A, 123), (B, 200)):
        out.append(line(ts, 0, "sh", 50, "vfio_pci_pm_put", f"{dev} usage_count=0 op=put reason=register ret=0"))
        out.append(line(ts, 0, "kselftest", pid, "vfio_pci_pm_get", f"{dev} usage_count=1 op=resume_and_get reason=enable ret=0"))
    f.write("".join(out))
    size = f.tell()
    cmds = (0x3b6b, 0x3b6c, 0x3b75)
    i = 0
    while size < limit:
        out = []
        for _ in range(2000):
            i += 1
            dev, pid, cpu = (A, 123, 1) if i & 1 else (B, 200, 0)
            cmd = cmds[i % 3]
            ts += 0.000003
            out.append(line(ts, cpu, "kselftest", pid, "vfio_device_pm_get", f"{dev} usage_count=2 cmd={cmd:#x} ret=0"))
            ts += 0.000002
            out.append(line(ts, cpu, "kselftest", pid, "vfio_device_pm_put", f"{dev} usage_count=1 cmd={cmd:#x} ret=0"))
            ts += 0.000002
            out.append(line(ts, cpu, "kselftest", pid, "sched_switch", f"prev_comm=kselftest prev_pid={pid} prev_prio=120 prev_state=S ==> next_comm=swapper/{cpu} next_pid=0 next_prio=120"))
            ts += 0.000002
            out.append(line(ts, cpu, "kselftest", pid, "vfio_pci_pm_get", f"{dev} usage_count=2 op=resume_and_get reason=region_rw ret=0"))
            ts += 0.000002
            out.append(line(ts, cpu, "kselftest", pid, "vfio_pci_pm_put", f"{dev} usage_count=1 op=put reason=region_rw ret=0"))
            ts += 0.000002
            out.append(line(ts, cpu, "<idle>", 0, "sched_wakeup", f"comm=kselftest pid={pid} prio=120 target_cpu={cpu:03d}"))
        s = "".join(out)
        f.write(s)
        size += len(s)
    f.write(line(ts + 0.001, 1, "kselftest", 123, "vfio_pci_pm_put", f"{A} usage_count=0 op=put reason=disable ret=0"))
    f.write(line(ts + 0.002, 0, "kselftest", 200, "vfio_pci_pm_put", f"{B} usage_count=0 op=put reason=disable ret=0"))
PY
}

# The same pairing in awk: per device, ioctl per task+cmd, everything else per task+reason.
# shellcheck disable=SC2016  # an awk program
pair_awk='
/vfio_device_pm_get:|vfio_device_pm_put:|vfio_pci_pm_get:|vfio_pci_pm_put:/ {
	for (i = 1; i <= NF; i++) if ($i ~ /^vfio_(device|pci)_pm_(get|put):$/) break
	dev = $(i + 1); split($1, t, "-"); task = t[length(t)]; key = ""
	for (j = i + 2; j <= NF; j++) if ($j ~ /^(cmd|reason)=/) key = $j
	if (key == "reason=disable") key = "reason=enable"
	k = dev " " task " " key; if (key ~ /reason=(enable|register)/) k = dev " " key
	if ($i ~ /get:$/) open[k]++; else open[k]--
}
END { for (k in open) if (open[k] > 0 && k !~ /register/) { print "leak", k; bad = 1 } exit bad }'

rounds=${VFIOPM_BENCH_ROUNDS:-5}
base=${VFIOPM_CHECK_BASELINE:-}
[ -z "$base" ] || [ -x "$base" ] || { echo "bench: VFIOPM_CHECK_BASELINE=$base is not executable" >&2; exit 64; }
contenders=(vfiopm-check)
[ -n "$base" ] && contenders+=(baseline)
contenders+=(record "wc -l" awk)
for mib in "${sizes[@]}"; do
	f=$tmp/bench-$mib.trace
	gen "$f" "$mib"
	# the same vfio events, as a record file
	events=$("$tool" --json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inputs"][0]["events"])')
	python3 "$top/bench/gen-record.py" "$f.vfr" "$events" >/dev/null
	cat "$f" "$f.vfr" >/dev/null	# page cache warm for every contender
	for r in $(seq 1 "$rounds"); do
		for c in "${contenders[@]}"; do
			case $c in
			vfiopm-check) cmd=("$tool" -q "$f") ;;
			baseline) cmd=("$base" -q "$f") ;;
			record) cmd=("$tool" -q "$f.vfr") ;;
			"wc -l") cmd=(wc -l "$f") ;;
			awk) cmd=(awk "$pair_awk" "$f") ;;
			esac
			set +e
			/usr/bin/time -o "$tmp/time" -f '%e %M' "${cmd[@]}" >/dev/null 2>&1
			rc=$?
			set -e
			echo "$mib	$(stat -c %s "$f")	$r	$c	$(cat "$tmp/time")	$rc	$events" >>"$tmp/times"
		done
	done
	rm -f "$f" "$f.vfr"
done
python3 - "$tmp/times" <<'PY'
import collections, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = collections.defaultdict(dict)	# (mib, tool) -> round -> (secs, rss, rc)
size, events = {}, {}
for mib, b, r, tool, tm, rc, ev in rows:
    secs, rss = tm.split()
    t[(int(mib), tool)][int(r)] = (float(secs), int(rss), rc)
    size[int(mib)] = int(b)
    events[int(mib)] = int(ev)
def span(v):
    return f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
print("| log | tool | wall s, median (min-max) | MiB/s of the text log | M vfio events/s | peak RSS MiB | exit |")
print("|---|---|---|---|---|---|---|")
for (mib, tool), runs in t.items():
    secs = [x[0] for x in runs.values()]
    med = statistics.median(secs)
    name = "vfiopm-check, record file" if tool == "record" else tool
    mibs = "-" if tool == "record" else f"{size[mib] / 1048576 / med if med else 0:.0f}"
    print(f"| {mib} MiB | {name} | {span(secs)} | {mibs} | {events[mib] / 1e6 / med if med else 0:.1f} | "
          f"{max(x[1] for x in runs.values()) / 1024:.1f} | {','.join(sorted({x[2] for x in runs.values()}))} |")
print()
print("| log | ratio, per round | median (min-max) |")
print("|---|---|---|")
for mib in sorted(size):
    tools = [k[1] for k in t if k[0] == mib]
    mine = [x for x in ("vfiopm-check", "baseline") if x in tools]
    for tool in mine:
        for ref in ("wc -l", "awk"):
            # throughput ratio: ref time / tool time (above 1: faster than ref)
            v = [t[(mib, ref)][r][0] / t[(mib, tool)][r][0] for r in t[(mib, tool)] if t[(mib, tool)][r][0] > 0]
            if v:
                print(f"| {mib} MiB | {tool} vs {ref} (throughput) | {span(v)} |")
    if "record" in tools:
        v = [t[(mib, "vfiopm-check")][r][0] / t[(mib, "record")][r][0] for r in t[(mib, "record")]]
        print(f"| {mib} MiB | record file vs text log, same {events[mib]} events (events/s) | {span(v)} |")
    if len(mine) == 2:
        v = [t[(mib, "baseline")][r][0] / t[(mib, "vfiopm-check")][r][0] for r in t[(mib, "vfiopm-check")]]
        print(f"| {mib} MiB | vfiopm-check vs baseline (throughput) | {span(v)} |")
PY
