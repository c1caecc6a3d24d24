#!/bin/sh
# Runs inside the test VM for `make demo`: drives low-power cycles on
# $VFIOPM_BDF with tools/vfio-lowpower while vfiopm-trace shows them live
# (the raw tracefs stream when vfiopm-trace is not built).
set -u
lp=$PWD/tools/vfio-lowpower/vfio-lowpower
tool=$PWD/tools/vfiopm-trace/vfiopm-trace
st=$PWD/tools/vfiopm-status/vfiopm-status
t=/sys/kernel/tracing
dev=/sys/bus/pci/devices/$VFIOPM_BDF
port=$(readlink -f "$dev/..")

say() {
	sleep 0.3 # let the trace of the previous step drain first
	printf '\n== %s\n' "$*"
}

if [ ! -d $t/events/vfio_pci ]; then
	echo "this kernel has no vfio_pci tracepoints: boot the patched test kernel"
	exit 1
fi
# wait_state STATE [DIR]: up to 20 s until power_state of DIR (default the device) reads STATE
wait_state() {
	deadline=$(($(date +%s) + 20))
	while [ "$(cat "${2:-$dev}/power_state")" != "$1" ] && [ "$(date +%s)" -lt $deadline ]; do
		sleep 0.01
	done
}

wait_state D3hot "$port"
say "vfiopm-status: the idle device behind root port $(basename "$port"), whose firmware node has power resources"
$st "$VFIOPM_BDF"
echo 1 >"$port/d3cold_allowed"
wait_state D3cold
say "vfiopm-status: after echo 1 >$(basename "$port")/d3cold_allowed"
$st "$VFIOPM_BDF"
echo on >"$port/power/control"
wait_state D0 "$port"
say "vfiopm-status: with power/control=on on the root port"
$st "$VFIOPM_BDF"
echo auto >"$port/power/control"
wait_state D3cold

if [ -x "$tool" ]; then
	# a second tracer records every event for the timeline (scripts/demo.sh)
	"$tool" -d "$VFIOPM_BDF" --json >"$VFIOPM_OUT/demo.jsonl" 2>"$VFIOPM_OUT/demo-json.err" &
	recorder=$!
	"$tool" -d "$VFIOPM_BDF" &
	reader=$!
	sleep 2 # attach before the first step
else
	echo >$t/trace
	echo 1 >$t/events/vfio/enable
	echo 1 >$t/events/vfio_pci/enable
	# One line per event: timestamp, task, event and its fields.
	sed -u -E 's/^ *(.+)-([0-9]+) +\[[0-9]+\] +[^ ]+ +([0-9.]+): /   trace \3 \1: /' \
		$t/trace_pipe &
	reader=$!
fi

say "device $VFIOPM_BDF: bound to vfio-pci, idle in $(cat $dev/power_state), runtime usage count $(cat $dev/power/runtime_usage)"
say "1. LOW_POWER_ENTRY: the device suspends; an access wakes it, then it suspends again"
$lp "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit
say "2. LOW_POWER_ENTRY_WITH_WAKEUP: an access wakes it once, signals the eventfd, and it stays awake"
$lp "$VFIOPM_BDF" entry-wakeup wait-d3 read wait-wake sleep:300 exit
say "3. close while engaged: closing the device gives the low-power reference back"
$lp "$VFIOPM_BDF" entry wait-d3
sleep 1
wait_state D3cold
say "back to idle: $(cat $dev/power_state), runtime usage count $(cat $dev/power/runtime_usage)"
# vfiopm-trace prints its per-device summary on SIGINT
kill -INT $reader ${recorder:-}
wait $reader ${recorder:-}
say "vfiopm-status: after the cycles"
$st "$VFIOPM_BDF"
