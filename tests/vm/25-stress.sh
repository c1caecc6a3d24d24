#!/usr/bin/env bash
# VM tier, patched kernel: the stress tier (docs/testing.md, "Stress tier").
# A concurrent workload on a correct kernel must come out balanced from both
# tools on every run; a reference leaked mid-run and an extra put mid-run must
# be flagged by both.
#   VFIOPM_STRESS_RUNS=3       clean runs in one VM boot
#   VFIOPM_STRESS_SECONDS=12   workload length of each run
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "stress tier"
kdir=$(test_kernel) || { not_ok "patched test kernel builds"; exit 1; }
require_trace_tools
runs=${VFIOPM_STRESS_RUNS:-3}
secs=${VFIOPM_STRESS_SECONDS:-12}
[[ $runs =~ ^[1-9][0-9]*$ && $secs =~ ^[1-9][0-9]*$ ]] ||
	{ not_ok "VFIOPM_STRESS_RUNS and VFIOPM_STRESS_SECONDS are positive integers"; exit 1; }
ko=$("$top/tests/fault/build.sh" "$kdir/linux" | tail -n 1) || { not_ok "fault module builds"; exit 1; }

out=$(mktemp -d /tmp/vfiopm-stress.XXXXXX)
# each run: the workload, its settling and the tool's start and stop
VFIOPM_VM_TIMEOUT=$(((runs + 2) * (secs + 40) + 120)) \
	vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" -- tests/vm/guest/stress.sh "$runs" "$secs" "$ko"
vm_require_ran
bdf=$(sed -n 's/.*vfio-pci: \([0-9a-f:.]*\).*/\1/p' "$out/console.log" | head -n 1)
check "every run finished in the VM" grep -q '^done' "$out/progress"
python3 "$top/tests/vm/check-stress.py" "$out" "$bdf" "$runs" | tee "$out/check-stress.tap"
[ "${PIPESTATUS[0]}" = 0 ] || tap_failed=1

# vfiopm-check on both records of every run: the ftrace buffer and the tool's JSON
check=$top/tools/vfiopm-check/vfiopm-check
verdict() {	# verdict FILE: vfiopm-check's exit status, its report in FILE.check
	"$check" "$1" >"$1.check" 2>&1
	echo $?
}
fp=0
for i in $(seq 1 "$runs"); do
	for f in "$out/run$i.ftrace" "$out/run$i.jsonl"; do
		v=$(verdict "$f")
		[ "$v" = 0 ] || { fp=$((fp + 1)); grep -E 'FAIL|INCONCLUSIVE' "$f.check" | head -5 | sed 's/^/# /'; }
		check "run$i: vfiopm-check on ${f##*.}: balanced (exit $v)" test "$v" = 0
	done
done
check "run1: the ftrace log has every event (no overrun)" \
	grep -qE '^# entries-in-buffer/entries-written: ([0-9]+)/\1 ' "$out/run1.ftrace"
miss=0
for c in leak put; do
	v=$(verdict "$out/$c.ftrace")
	[ "$v" = 1 ] || miss=$((miss + 1))
	check "$c: vfiopm-check on ftrace: imbalance (exit $v): $(grep -m1 FAIL "$out/$c.ftrace.check" | cut -c1-160)" \
		test "$v" = 1
done
check "leak: vfiopm-check names the device held outside vfio" \
	grep -qE "FAIL active_unowned .*$bdf|$bdf.*imbalance" "$out/leak.ftrace.check"
check "put: vfiopm-check names the pairing the extra put broke" \
	grep -qE 'FAIL (underflow|held_at_suspend) \[' "$out/put.ftrace.check"
echo "# vfiopm-check: $fp false verdicts over $((2 * runs)) clean logs, $miss misses over 2 faults"
# the differential test on these logs: both balance cores, the same verdicts
make -s -C "$top/tests/differential" replay || not_ok "the differential replay builds"
"$top/tests/differential/replay" --min $((2 * runs + 2)) "$out"/*.ftrace "$out"/*.jsonl | sed "s|$out/||" ||
	tap_failed=1
# every run was also recorded (-w): replayed, it is its --json output; read, its verdict
make -s -C "$top/tools/vfiopm-check" build/san-vfiopm-check >/dev/null
python3 "$top/tests/record-check.py" --args "--fail-on-imbalance --stacks" "$out"/run*.jsonl \
	"$out"/leak.jsonl "$out"/put.jsonl | sed "s|$out/||" || tap_failed=1
for f in "$out"/*.jsonl "$out"/*.ftrace; do cp "$f" "$top/tests/logs/stress-${f##*/}" 2>/dev/null; done
exit $tap_failed
