#!/bin/sh
# Runs inside the test VM (scripts/vm-run.sh):
#
#   vfiopm-trace-kselftest.sh SELFTEST
#
# Runs a known vfio-lowpower sequence and then the vfio low-power kselftest on
# $VFIOPM_BDF under `vfiopm-trace --json`, with the vfio trace events also
# enabled in tracefs as an independent record. Saves in $VFIOPM_OUT:
#   trace.jsonl    vfiopm-trace's output     trace-rc   its exit status
#   ftrace.txt     the tracefs buffer        kselftest.tap, lowpower.txt
#   live.txt       a second, human-readable run over one cycle (-H --stacks)
#   verify.txt     --verify on this kernel; unknown-bdf.txt  -d of a non-vfio device
#   interval.txt   -s -i 1 --duration 4
set -u
selftest=$1
tool=tools/vfiopm-trace/vfiopm-trace
lp=tools/vfio-lowpower/vfio-lowpower
t=/sys/kernel/tracing
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh
# the tool prints its start record once attached
wait_started() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# every program loads here; a device not bound to vfio-pci is refused
$tool --verify >"$out/verify.txt" 2>&1
echo $? >"$out/verify-rc"
$tool -d 0000:00:1f.7 >/dev/null 2>"$out/unknown-bdf.txt"
echo $? >"$out/unknown-bdf-rc"

wait_state D3hot
echo 0 >"$t/tracing_on"
echo 8192 >"$t/buffer_size_kb"
echo >"$t/trace"
echo 1 >"$t/events/vfio/enable"
echo 1 >"$t/events/vfio_pci/enable"

$tool --json --fail-on-imbalance >"$out/trace.jsonl" 2>"$out/trace.err" &
pid=$!
wait_started "$out/trace.jsonl" '"type":"start"'
echo 1 >"$t/tracing_on"

# a sequence whose counts are known: 2 entries (1 armed), 1 wake signal
$lp "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit entry-wakeup wait-d3 read wait-wake exit \
	>"$out/lowpower.txt" 2>&1
echo "lowpower-rc $?" >>"$out/lowpower.txt"
wait_state D3hot
"$selftest" "$VFIOPM_BDF" >"$out/kselftest.tap" 2>&1
echo $? >"$out/kselftest-rc"
wait_state D3hot
sleep 0.5
echo 0 >"$t/tracing_on"
kill -INT $pid
wait $pid
echo $? >"$out/trace-rc"
cat "$t/trace" >"$out/ftrace.txt"
echo 0 >"$t/events/vfio/enable"
echo 0 >"$t/events/vfio_pci/enable"
cat "$dev/power/runtime_usage" >"$out/usage-end"

# the human view: one armed cycle, histograms and stacks
$tool -H --stacks >"$out/live.txt" 2>&1 &
pid=$!
wait_started "$out/live.txt" TIME
$lp "$VFIOPM_BDF" entry-wakeup wait-d3 read wait-wake exit >/dev/null 2>&1
wait_state D3hot
sleep 0.3
kill -INT $pid
wait $pid
echo $? >"$out/live-rc"
# summary only, every second, stopping by itself after 4 s
$tool -s -i 1 --duration 4 >"$out/interval.txt" 2>&1 &
pid=$!
wait_started "$out/interval.txt" 'mode'
$lp "$VFIOPM_BDF" entry wait-d3 read exit >/dev/null 2>&1
wait $pid
echo $? >"$out/interval-rc"
cat "$out/kselftest.tap" "$out/lowpower.txt"
exit 0
