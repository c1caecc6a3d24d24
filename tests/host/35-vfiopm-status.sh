#!/usr/bin/env bash
# Host tier: vfiopm-status. The verdict logic on sysfs/procfs trees made by the
# unit tests, and the command line: usage errors, a device that is not there,
# JSON output a program can read.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

src=$top/tools/vfiopm-status
tool=$src/vfiopm-status
make -s -C "$src" >/dev/null || { not_ok "vfiopm-status builds"; exit 1; }
if make -s -C "$src" test >"$top/tests/logs/vfiopm-status-unit.log" 2>&1; then
	ok "vfiopm-status: verdict unit tests ($(grep -c '^\[       OK' "$top/tests/logs/vfiopm-status-unit.log") cases)"
else
	not_ok "vfiopm-status: verdict unit tests"
	grep -E 'FAILED|ERROR|LINE' "$top/tests/logs/vfiopm-status-unit.log" | head -5 | sed 's/^/# /'
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tool" nonsense >/dev/null 2>&1
check "a bad device address is a usage error (exit 64)" test $? = 64
"$tool" --bogus >/dev/null 2>&1
check "an unknown option is a usage error (exit 64)" test $? = 64
check "--help explains the verdict, the exit status and gives an example" \
	sh -c "'$tool' --help | grep -q 'Exit status' && '$tool' --help | grep -q 'EXAMPLES'"
mkdir -p "$tmp/r/sys/bus/pci/devices" "$tmp/r/proc"
out=$("$tool" --root "$tmp/r" 0000:00:09.0 2>&1)
rc=$?
check "a device that is not there: exit 2, says so ($out)" \
	sh -c "test $rc = 2 && echo '$out' | grep -q 'no such PCI device'"
out=$("$tool" --root "$tmp/r" 2>&1)
rc=$?
check "no vfio-pci device: exit 2, says how to name one" \
	sh -c "test $rc = 2 && echo '$out' | grep -q 'name one'"
# a device idle in D3hot, and the same held by power/control=on
d=$tmp/r/sys/devices/pci0000:00/0000:00:04.0
mkdir -p "$d/power" "$tmp/r/sys/bus/pci/drivers/vfio-pci"
ln -s ../../../devices/pci0000:00/0000:00:04.0 "$tmp/r/sys/bus/pci/devices/0000:00:04.0"
ln -s ../../../devices/pci0000:00/0000:00:04.0 "$tmp/r/sys/bus/pci/drivers/vfio-pci/0000:00:04.0"
ln -s ../../../bus/pci/drivers/vfio-pci "$d/driver"
echo D3hot >"$d/power_state"; echo suspended >"$d/power/runtime_status"
echo auto >"$d/power/control"; echo 0 >"$d/power/runtime_usage"; echo 1 >"$d/d3cold_allowed"
"$tool" --root "$tmp/r" --json >"$tmp/idle.json"
rc=$?
check "idle device: exit 0, verdict D3hot only (no power resources)" \
	sh -c "test $rc = 0 && grep -q '\"verdict\":\"D3hot only: no power resources' '$tmp/idle.json'"
check "--json: one object per device with dev, power_state, d3cold_possible, verdict, reasons" \
	python3 -c "
import json, sys
r = [json.loads(l) for l in open('$tmp/idle.json')]
sys.exit(0 if len(r) == 1 and all(k in r[0] for k in ('dev', 'power_state', 'd3cold_possible', 'verdict', 'reasons'))
         and r[0]['d3cold_possible'] is False else 1)"
echo on >"$d/power/control"
"$tool" --root "$tmp/r" >"$tmp/on.txt"
rc=$?
check "power/control=on: exit 1, the verdict says so" \
	sh -c "test $rc = 1 && grep -q 'verdict: kept awake: power/control=on' '$tmp/on.txt'"
exit $tap_failed
