#!/usr/bin/env bash
# VM tier, patched kernel, a D3cold slot (scripts/vm-run.sh --d3cold): the
# idle vfio-pci device goes to D3cold, vfiopm-status says it can reach it,
# low-power and wake cycles work from D3cold, vfiopm-trace names D3cold and
# finds the cycles balanced, vfiopm-check splits their residency and draws
# their timeline (rendered by Chromium), vfiopm-trace's --prom file passes
# promtool and a real scrape, and the kselftest passes expecting D3cold.
# The D3hot-only slot is every other VM tier's.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "D3cold VM tier"
kdir=$(test_kernel) || { not_ok "patched test kernel builds"; exit 1; }
require_trace_tools
make -s -C "$top/tools/vfiopm-status" >/dev/null || { not_ok "vfiopm-status builds"; exit 1; }
out=$(mktemp -d /tmp/vfiopm-d3cold.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" --d3cold --timeout 300 -- tests/vm/guest/d3cold.sh \
	"$kdir/linux/tools/testing/selftests/vfio/vfio_low_power_test"
vm_require_ran
check "the guest ran every step" grep -q '^done' "$out/progress"
check "the idle device is in D3cold ($(cat "$out/idle-state"); firmware node $(cat "$out/fw-state"))" \
	test "$(cat "$out/idle-state")" = D3cold
check "low-power and wake cycles from D3cold: every step ok" grep -qx 'rc 0' "$out/lowpower.txt"
python3 - "$out" <<'PY' || tap_failed=1
import json, sys
out = sys.argv[1]
failed = False
def tap(ok, text):
    global failed
    print(("ok - " if ok else "not ok - ") + text)
    failed |= not ok
try:
    s = json.loads(open(f"{out}/status.json").read())
except ValueError:
    s = {}
rc = open(f"{out}/status.rc").read().strip()
tap(rc == "0" and s.get("verdict") == "can reach D3cold" and s.get("d3cold_possible") is True
    and s.get("d3cold_power") is True and s.get("power_state") == "D3cold",
    f"vfiopm-status: exit {rc}, \"{s.get('verdict')}\", power_state {s.get('power_state')}")
recs = [json.loads(l) for l in open(f"{out}/cycle.jsonl") if l.startswith("{")]
ev = [r for r in recs if r.get("type") == "event"]
tap(any(r.get("event") == "pci_pm_runtime_suspend" and r.get("dstate") == "D3cold" for r in ev),
    "vfiopm-trace: the suspend names D3cold")
tap(any(r.get("event") == "vfio_pci_runtime_resume" and r.get("resumed_from") == "D3cold" for r in ev),
    "vfiopm-trace: a resume from D3cold")
tap(any(r.get("event") == "vfio_pci_wake_signal" for r in ev), "vfiopm-trace: the wake from D3cold signals the eventfd")
tap(any(r.get("type") == "hist" and r.get("kind") == "D3cold resume latency" and sum(r.get("log2_slots", [])) > 0
        for r in recs), "vfiopm-trace: resume latency from D3cold has its own histogram")
summ = [r for r in recs if r.get("type") == "summary" and r.get("final")]
rc = open(f"{out}/cycle.rc").read().strip()
tap(rc == "0" and summ and summ[0].get("flagged") == 0 and summ[0].get("d3cold_suspends", 0) >= 2,
    f"vfiopm-trace: exit {rc}, nothing flagged, D3cold residency counted "
    f"({summ[0].get('d3cold_suspends') if summ else '?'} suspends to D3cold, "
    f"{summ[0].get('d3cold_pct') if summ else '?'} % of the time)")
sys.exit(1 if failed else 0)
PY
python3 "$top/tests/record-check.py" --args "-H --fail-on-imbalance" "$out/cycle.jsonl" || tap_failed=1
"$top/tools/vfiopm-check/vfiopm-check" "$out/cycle.jsonl" >"$out/check.txt" 2>&1
v=$?
check "vfiopm-check reads the D3cold cycles as balanced (exit $v)" test "$v" = 0
grep -E '^ *low power: .*D3cold [0-9.]+ s \([1-9]' "$out/check.txt" >"$out/check-residency.txt"
check "vfiopm-check splits the residency: D3cold named ($(sed 's/^ *//' "$out/check-residency.txt"))" \
	test -s "$out/check-residency.txt"
# the power timeline of this run: D3cold named, checked against the log, rendered
"$top/tools/vfiopm-check/vfiopm-check" -q --timeline "$out/timeline.html" "$out/cycle.jsonl"
python3 "$top/tests/timeline-check.py" "$out/timeline.html" "$out/cycle.jsonl" --named --flags 0 |
	sed 's/^\(\(not \)\{0,1\}ok - \)/\1VM run: /' | tee "$out/timeline.tap"
grep -q '^not ok' "$out/timeline.tap" && tap_failed=1
check "timeline of the VM run: D3cold bands" grep -q 'class="band d3cold"' "$out/timeline.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,350 \
	--screenshot="$out/timeline.png" "file://$out/timeline.html" >"$out/chromium.log" 2>&1
shot=$(python3 "$top/tests/png-check.py" "$out/timeline.png")
check "timeline of the VM run: Chromium renders it, not blank ($shot)" test $? = 0
cp "$out/timeline.png" "$top/tests/logs/timeline-d3cold.png" 2>/dev/null
# Prometheus: the exposition vfiopm-trace wrote passes promtool's lint (a
# copy with a counter stripped of _total must not: the control), and a real
# scrape through node_exporter and a Prometheus server returns its value
prom=$out/prom/vfiopm.prom
check "vfiopm-trace --prom: promtool check metrics passes ($(grep -c '^vfiopm_' "$prom" 2>/dev/null) samples)" \
	sh -c "test -s '$prom' && promtool check metrics <'$prom' >'$out/promtool.txt' 2>&1"
check "vfiopm-trace --prom: the file is there before the start record, and lints" \
	sh -c "test -s '$out/prom-start.txt' && promtool check metrics <'$out/prom-start.txt' >/dev/null 2>&1"
mid=$(sed -n 's/^vfiopm_suspends_total{dev="[^"]*"} //p' "$out/prom-mid.txt" 2>/dev/null | head -n 1)
final=$(sed -n 's/^vfiopm_suspends_total{dev="[^"]*"} //p' "$prom" 2>/dev/null | head -n 1)
check "vfiopm-trace --prom -i 1: rewritten while it runs (suspends ${mid:-none} mid-run, ${final:-none} at exit)" \
	sh -c "test -n '$mid' && test -n '$final' && test '$mid' -ge 1 && test '$mid' -le '$final'"
sed 's/vfiopm_suspends_total/vfiopm_suspends/' "$prom" >"$out/prom-doctored.txt"
check "promtool rejects a counter without _total (control)" \
	sh -c "! promtool check metrics <'$out/prom-doctored.txt' >/dev/null 2>&1"
want=$(sed -n 's/^vfiopm_suspends_total{dev="[^"]*"} //p' "$prom" | head -n 1)
timeout 120 python3 "$top/tests/prom-scrape.py" "$out/prom" vfiopm_suspends_total >"$out/scrape.txt" 2>&1
grep -E '^(not )?ok' "$out/scrape.txt"
got=$(sed -n 's/^result: //p' "$out/scrape.txt" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["value"][1] if r else "")' 2>/dev/null)
check "Prometheus query vfiopm_suspends_total returns the device's value ($got, file $want)" \
	sh -c "test -n '$want' && test '$got' = '$want'"
rc=$(cat "$out/kselftest.rc" 2>/dev/null)
kselftest_tap "kselftest on the D3cold slot" "$out/kselftest.tap"
check "kselftest on the D3cold slot: exit $rc, expects D3cold, 9 cases passed" \
	sh -c "test '$rc' = 0 && grep -q 'is expected in D3cold' '$out/kselftest.tap' &&
		test \$(grep -cE '^ok [0-9]+ ' '$out/kselftest.tap') = 9"
cp "$out/status.txt" "$top/tests/logs/d3cold-status.txt" 2>/dev/null
cp "$out/cycle.jsonl" "$top/tests/logs/d3cold-cycle.jsonl" 2>/dev/null
cp "$prom" "$top/tests/logs/d3cold-vfiopm.prom" 2>/dev/null
exit $tap_failed
