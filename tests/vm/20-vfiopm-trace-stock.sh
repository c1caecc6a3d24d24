#!/usr/bin/env bash
# VM tier, stock Debian kernels (6.12 and 6.1, no vfiopm patches, vfio as
# modules, emulated IOMMU): vfiopm-trace picks stock mode by probing, every
# program it uses passes the verifier, it prints its blind spots, and it
# reports the suspends, resumes, gets and puts of one low-power cycle.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "stock kernel VM tier"
require_trace_tools

for series in 6.12 6.1; do
	if ! sdir=$("$top/scripts/stock-kernel.sh" "$series" | tail -n 1); then
		not_ok "stock $series: kernel package fetched and prepared"
		continue
	fi
	out=$(mktemp -d /tmp/vfiopm-trace-stock.XXXXXX)
	"$top/scripts/vm-run.sh" --kernel "$sdir/vmlinuz" --modules "$sdir/modules" --iommu \
		--timeout "${VFIOPM_VM_TIMEOUT:-600}" --out "$out" \
		-- tests/vm/guest/vfiopm-trace-stock.sh >/dev/null
	rc=$?
	kver=$(cat "$sdir/version")
	echo "# stock $kver: VM exit $rc in $(cat "$out/vm-seconds" 2>/dev/null) s; results in $out"
	case $rc in
	124) not_ok "stock $kver: VM run finished in time"; continue ;;
	125) not_ok "stock $kver: VM booted and ran the test"; continue ;;
	esac
	check "stock $kver: booted that kernel with vfio-pci bound" \
		sh -c "test \"\$(cat '$out/kernel')\" = '$kver' && grep -q 'vfio-pci: 0000:' '$out/console.log'"
	check "stock $kver: tracefs unmounted, vfiopm-trace mounted it and fexit loaded" sh -c \
		"test ! -s '$out/mounts-before.txt' &&
		 grep -q '^# vfiopm-trace: mounted tracefs at /sys/kernel/tracing' '$out/verify.txt' &&
		 grep -q '^ok - verifier: pci_pm_runtime_suspend (stock mode)' '$out/verify.txt'"
	sed -n "s/^ok - verifier: /ok - stock $kver verifier: /p; s/^not ok - verifier: /not ok - stock $kver verifier: /p" "$out/verify.txt"
	grep -q '^not ok' "$out/verify.txt" && tap_failed=1
	python3 - "$out" "$kver" <<'PY' || tap_failed=1
import json, sys
out, kver = sys.argv[1], sys.argv[2]
bad = False
def tap(ok, name):
    global bad
    print(("ok - " if ok else "not ok - ") + f"stock {kver}: " + name)
    bad |= not ok
recs = [json.loads(l) for l in open(f"{out}/stock.jsonl")]
start = [r for r in recs if r["type"] == "start"]
tap(start and start[0]["mode"] == "stock", "vfiopm-trace chose stock mode by itself")
blind = start[0]["blind"] if start else ""
tap("noresume" in blind and "owner" in blind, f"it names its blind spots: {blind}")
ev = [r for r in recs if r["type"] == "event"]
if "eventfd" in blind:
    print("# the vfio feature and resume functions are not attachable on this kernel")
else:
    ent = [e for e in ev if e["event"] == "low_power_entry_ioctl" and e["ret"] == 0]
    tap(len(ent) == 2 and sum(e["with_wakeup"] for e in ent) == 1,
        f"fexit vfio_pci_core_ioctl_feature: ENTRY and ENTRY_WITH_WAKEUP seen ({len(ent)})")
    n_wake = sum(1 for e in ev if e["event"] == "wake_armed_resume")
    tap(n_wake == 1, f"fentry vfio_pci_core_runtime_resume: exactly one armed wake ({n_wake})")
n = {k: sum(1 for e in ev if e["event"] == k) for k in
     ("rpm_get", "rpm_put", "pci_pm_runtime_suspend", "pci_pm_runtime_resume")}
print("# events:", n)
# entry, wait-d3, read (wakes, re-suspends), wait-d3, exit: at least 2 suspends and 2 resumes
tap(n["pci_pm_runtime_suspend"] >= 2 and n["pci_pm_runtime_resume"] >= 2,
    f"suspends ({n['pci_pm_runtime_suspend']}) and resumes ({n['pci_pm_runtime_resume']}) reported")
tap(any(e.get("resumed_from") == "D3hot" for e in ev), "a resume from D3hot reported")
tap(n["rpm_get"] >= 3 and n["rpm_put"] >= 3, f"gets ({n['rpm_get']}) and puts ({n['rpm_put']}) reported")
tap(not any(r["type"] in ("lost", "flag") or "flags" in r for r in recs), "nothing lost or flagged")
s = [r for r in recs if r["type"] == "summary"]
tap(s and s[-1]["suspends"] == n["pci_pm_runtime_suspend"] and s[-1]["lowpower_pct"] > 0,
    "summary agrees with the events")
tap(not any(r["type"] == "outstanding" for r in recs) and s and s[-1]["outstanding"] == 0,
    "device closed at the end: no reference outstanding")
held = [json.loads(l) for l in open(f"{out}/held.jsonl")]
o = [r for r in held if r["type"] == "outstanding"]
hs = [r for r in held if r["type"] == "summary"]
tap(len(o) == 1 and o[0]["pairing"] == "task" and o[0]["comm"] == "vfio-lowpower" and
    o[0]["site"].startswith("vfio_pci_core_") and hs and hs[-1]["outstanding"] == 1,
    "stopped while the device is open: its reference is outstanding with task and site "
    f"({[(r['pairing'], r['comm'], r['site']) for r in o]})")
tap(s and s[-1]["resume_max_ns"] >= s[-1]["resume_p99_ns"] >= s[-1]["resume_p50_ns"] > 0,
    "summary: resume latency p50 <= p99 <= max, from the histogram")
sys.exit(1 if bad else 0)
PY
	check "stock $kver: live view prints the mode and blind spots" \
		sh -c "grep -q 'stock mode' '$out/live.txt' && grep -q 'cannot see in stock mode' '$out/live.txt'"
	check "stock $kver: both runs exit 0 on SIGINT" \
		sh -c "test \"\$(cat '$out/stock.jsonl.rc')\" = 0 -a \"\$(cat '$out/live.txt.rc')\" = 0"
	python3 "$top/tests/record-check.py" --args "--stacks" "$out/stock.jsonl" |
		sed "s|^\(\(not \)\{0,1\}ok - \)|\1stock $kver: |" || tap_failed=1
	cp "$out/live.txt" "$top/tests/logs/vfiopm-trace-stock-$kver.txt" 2>/dev/null
done
exit $tap_failed
