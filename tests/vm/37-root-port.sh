#!/usr/bin/env bash
# VM tier, patched kernel, the device behind a PCIe root port whose firmware
# node has the power resources (scripts/vm-run.sh --root-port --d3cold): the
# port as booted goes to D3hot only (no PM capability: d3cold_allowed=0) and
# vfiopm-status says why; with d3cold_allowed=1 the idle device and the port
# go to D3cold once the port runtime suspends; power/control=on on the port
# keeps the slot powered and vfiopm-status says so, and the control (auto
# again) gives D3cold back; a low-power cycle is
# balanced and its residency named D3cold; the kselftest passes there.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "root port VM tier"
kdir=$(test_kernel) || { not_ok "patched test kernel builds"; exit 1; }
require_trace_tools
make -s -C "$top/tools/vfiopm-status" >/dev/null || { not_ok "vfiopm-status builds"; exit 1; }
out=$(mktemp -d /tmp/vfiopm-rootport.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" --root-port --d3cold --timeout 400 -- \
	tests/vm/guest/rootport.sh "$kdir/linux/tools/testing/selftests/vfio/vfio_low_power_test"
vm_require_ran
check "the guest ran every step" grep -q '^done' "$out/progress"
python3 - "$out" <<'PY' || tap_failed=1
import json, sys
out = sys.argv[1]
port = open(f"{out}/port").read().strip()
failed = False
def tap(ok, text):
    global failed
    print(("ok - " if ok else "not ok - ") + text)
    failed |= not ok
def status(name):
    try:
        return json.loads(open(f"{out}/{name}.json").read()), open(f"{out}/{name}.rc").read().strip()
    except (OSError, ValueError):
        return {}, "?"
for name, want_state, verdict, possible in (
        ("port-d3hot", "D3hot D3hot", f"D3hot only: parent {port} d3cold_allowed=0: the kernel "
         "takes the port to D3hot, not to D3cold", False),
        ("idle", "D3cold D3cold", "can reach D3cold", True),
        ("port-on", "D3hot D0", f"D3hot only: parent {port} control=on keeps the slot powered", False),
        ("back", "D3cold D3cold", "can reach D3cold", True)):
    state = open(f"{out}/{name}.state").read().strip()
    s, rc = status(name)
    tap(state == want_state and rc == "0" and s.get("verdict") == verdict
        and s.get("d3cold_possible") is possible,
        f"{name}: device and port {state} (want {want_state}), vfiopm-status exit {rc}: "
        f"\"{s.get('verdict')}\", d3cold_possible {s.get('d3cold_possible')}")
recs = [json.loads(l) for l in open(f"{out}/cycle.jsonl") if l.startswith("{")]
ev = [r for r in recs if r.get("type") == "event"]
tap(any(r.get("event") == "vfio_pci_runtime_resume" and r.get("resumed_from") == "D3cold" for r in ev),
    "vfiopm-trace: a resume from D3cold behind the port")
summ = [r for r in recs if r.get("type") == "summary" and r.get("final")]
rc = open(f"{out}/cycle.rc").read().strip()
tap(rc == "0" and summ and summ[0].get("flagged") == 0,
    f"vfiopm-trace: exit {rc}, nothing flagged")
sys.exit(1 if failed else 0)
PY
check "low-power cycle behind the port: every step ok" grep -qx 'rc 0' "$out/lowpower.txt"
"$top/tools/vfiopm-check/vfiopm-check" "$out/cycle.jsonl" >"$out/check.txt" 2>&1
v=$?
check "vfiopm-check: the cycle behind the port is balanced (exit $v)" test "$v" = 0
check "vfiopm-check: its residency is named D3cold" \
	grep -qE '^ *low power: .*D3cold [0-9.]+ s \([1-9]' "$out/check.txt"
rc=$(cat "$out/kselftest.rc" 2>/dev/null)
kselftest_tap "kselftest behind the port" "$out/kselftest.tap"
check "kselftest behind the port: exit $rc, expects D3cold, 9 cases passed" \
	sh -c "test '$rc' = 0 && grep -q 'is expected in D3cold' '$out/kselftest.tap' &&
		test \$(grep -cE '^ok [0-9]+ ' '$out/kselftest.tap') = 9"
for s in port-d3hot idle port-on; do cp "$out/$s.txt" "$top/tests/logs/rootport-status-$s.txt" 2>/dev/null; done
exit $tap_failed
