#!/usr/bin/env bash
# VM tier, patched kernel: vfiopm-status gives the right verdict in each
# situation, made for real (tests/vm/guest/status.sh): idle, open and not in
# low power, open and in low power, power/control=on, a reference leaked by
# a module with nothing open.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "vfiopm-status VM tier"
kdir=$(test_kernel) || { not_ok "patched test kernel builds"; exit 1; }
require_trace_tools
make -s -C "$top/tools/vfiopm-status" >/dev/null || { not_ok "vfiopm-status builds"; exit 1; }
ko=$("$top/tests/fault/build.sh" "$kdir/linux" | tail -n 1) || { not_ok "fault module builds"; exit 1; }
out=$(mktemp -d /tmp/vfiopm-status.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" --timeout 300 -- tests/vm/guest/status.sh "$ko"
vm_require_ran
check "every situation ran in the VM" grep -q '^done' "$out/progress"
python3 - "$out" <<'PY' || tap_failed=1
import json, sys
out = sys.argv[1]
failed = False
def case(name):
    try:
        return json.loads(open(f"{out}/{name}.json").read()), open(f"{out}/{name}.rc").read().strip()
    except (OSError, ValueError):
        return {}, "?"
def tap(ok, text):
    global failed
    print(("ok - " if ok else "not ok - ") + "vfiopm-status: " + text)
    failed |= not ok
r, rc = case("idle")
tap(rc == "0" and r.get("can_sleep") is True and r.get("power_state") == "D3hot" and
    r.get("verdict", "").startswith("D3hot only: no power resources"),
    f"idle in D3hot, slot without _PR3: exit {rc}, \"{r.get('verdict')}\"")
r, rc = case("open")
tap(rc == "1" and any("the open vfio session (pid" in x and "vfio-lowpower) has not entered low power" in x
                      for x in r.get("reasons", [])) and r.get("open_by", [{}])[0].get("comm") == "vfio-lowpower",
    f"open, not in low power: exit {rc}, \"{r.get('verdict')}\"")
r, rc = case("engaged")
tap(rc == "0" and r.get("can_sleep") is True and r.get("runtime_usage") == 0 and len(r.get("open_by", [])) == 1,
    f"open, in low power (control for 'open'): exit {rc}, usage {r.get('runtime_usage')}, "
    f"{len(r.get('open_by', []))} holder")
r, rc = case("control")
tap(rc == "1" and r.get("verdict") == "kept awake: power/control=on",
    f"power/control=on: exit {rc}, \"{r.get('verdict')}\"")
r, rc = case("leak")
tap(rc == "1" and r.get("verdict") == "kept awake: usage count 1, 1 reference(s) not explained by any open session",
    f"a module's leaked reference, nothing open: exit {rc}, \"{r.get('verdict')}\"")
sys.exit(1 if failed else 0)
PY
for f in "$out"/*.json "$out"/*.txt; do cp "$f" "$top/tests/logs/vfiopm-status-${f##*/}" 2>/dev/null; done
exit $tap_failed
