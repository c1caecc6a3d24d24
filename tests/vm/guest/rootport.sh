#!/bin/sh
# Runs inside the test VM booted with scripts/vm-run.sh --root-port --d3cold:
# the device is behind root port 00:1c.0, and the power resources are the
# port's (scripts/vm/d3cold-port.asl), the shape of a laptop's GPU slot.
#
#   rootport.sh KSELFTEST
#
# Saves in $VFIOPM_OUT, for each situation S (port-d3hot: as booted, the
# port's d3cold_allowed=0; idle: set to 1; port-on: the port's
# power/control=on; back: auto again): S.state (device and port
# power_state), S.json and S.rc (vfiopm-status --json), S.txt (human). Then cycle.jsonl/cycle.rc (vfiopm-trace --json over a
# low-power cycle) and kselftest.tap/kselftest.rc.
set -u
st=tools/vfiopm-status/vfiopm-status
lp=tools/vfio-lowpower/vfio-lowpower
dev=/sys/bus/pci/devices/$VFIOPM_BDF
port=$(readlink -f "$dev/..")
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh

# snapshot NAME: both states and vfiopm-status, once the port has settled
snapshot() {
	sleep 0.5
	echo "$(cat "$dev/power_state") $(cat "$port/power_state")" >"$out/$1.state"
	$st --json "$VFIOPM_BDF" >"$out/$1.json" 2>&1
	echo $? >"$out/$1.rc"
	$st "$VFIOPM_BDF" >"$out/$1.txt" 2>&1
}

basename "$port" >"$out/port"
# QEMU's root port has no PM capability, so the kernel leaves its
# d3cold_allowed at 0: the port goes to D3hot, and the slot keeps power
wait_state D3hot 20 "$port"
snapshot port-d3hot
echo 1 >"$port/d3cold_allowed"
wait_state D3cold 20
snapshot idle
echo on >"$port/power/control"
wait_state D0 20 "$port"
snapshot port-on
echo auto >"$port/power/control"
wait_state D3cold 20
snapshot back
start_tracer "$out/cycle.jsonl" "$out/cycle.err" --json --fail-on-imbalance
# sleeps: the port suspends 100 ms after the device, and only then is it D3cold
$lp "$VFIOPM_BDF" entry wait-d3 sleep:1000 read wait-d3 sleep:1000 exit >"$out/lowpower.txt" 2>&1
echo "rc $?" >>"$out/lowpower.txt"
wait_state D3cold 20
sleep 0.5
stop_tracer "$out/cycle.rc"
timeout 300 "$1" "$VFIOPM_BDF" >"$out/kselftest.tap" 2>&1
echo $? >"$out/kselftest.rc"
echo done >"$out/progress"
exit 0
