#!/bin/sh
# Runs inside the test VM booted with scripts/vm-run.sh --d3cold (the slot
# has _PR0/_PR3):
#
#   d3cold.sh KSELFTEST
#
# Saves in $VFIOPM_OUT: idle-state (power_state once idle), status.json/.txt
# and status.rc (vfiopm-status), cycle.jsonl and cycle.rc (vfiopm-trace --json
# over a LOW_POWER_ENTRY cycle and a wake cycle), lowpower.txt (their steps),
# kselftest.tap and kselftest.rc (the vfio low-power kselftest, on D3cold),
# prom/vfiopm.prom (vfiopm-trace --prom, written at its exit).
set -u
st=tools/vfiopm-status/vfiopm-status
lp=tools/vfio-lowpower/vfio-lowpower
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh
mkdir -p "$out/prom"

wait_state D3cold 20
cat "$dev/power_state" >"$out/idle-state"
cat "$dev/firmware_node/power_state" >"$out/fw-state" 2>&1
$st --json "$VFIOPM_BDF" >"$out/status.json" 2>&1
echo $? >"$out/status.rc"
$st "$VFIOPM_BDF" >"$out/status.txt" 2>&1
start_tracer "$out/cycle.jsonl" "$out/cycle.err" --json -H --fail-on-imbalance -w "$out/cycle.vfr" \
	--prom "$out/prom/vfiopm.prom" -i 1
cp "$out/prom/vfiopm.prom" "$out/prom-start.txt" 2>/dev/null
$lp "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit entry-wakeup wait-d3 read wait-wake \
	>"$out/lowpower.txt" 2>&1
echo "rc $?" >>"$out/lowpower.txt"
wait_state D3cold 20
sleep 1.5	# one -i 1 rewrite after the cycles
cp "$out/prom/vfiopm.prom" "$out/prom-mid.txt" 2>/dev/null
stop_tracer "$out/cycle.rc"
timeout 300 "$1" "$VFIOPM_BDF" >"$out/kselftest.tap" 2>&1
echo $? >"$out/kselftest.rc"
echo done >"$out/progress"
exit 0
