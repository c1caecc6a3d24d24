#!/bin/sh
# Runs inside the test VM on a stock Debian kernel (scripts/stock-kernel.sh):
#
#   vfiopm-trace-stock.sh
#
# vfiopm-trace must pick stock mode by itself, say what it cannot see, and
# report the suspend/resume and the gets/puts of one low-power cycle on
# $VFIOPM_BDF. Saves in $VFIOPM_OUT: verify.txt, stock.jsonl (+ .rc, .err),
# live.txt (+ .rc), held.jsonl (+ .rc: stopped while the device is open),
# lowpower.txt, kernel.
set -u
tool=tools/vfiopm-trace/vfiopm-trace
lp=tools/vfio-lowpower/vfio-lowpower
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

wait_state() {
	end=$(($(date +%s) + 20))
	while [ "$(cat "$dev/power_state")" != "$1" ] && [ "$(date +%s)" -lt $end ]; do
		sleep 0.05
	done
}
run() {	# run NAME PATTERN ARGS...: the tool in the background until PATTERN shows
	name=$1 pat=$2
	shift 2
	$tool "$@" >"$out/$name" 2>"$out/$name.err" &
	pid=$!
	end=$(($(date +%s) + 60))
	while ! grep -q "$pat" "$out/$name" 2>/dev/null && [ "$(date +%s)" -lt $end ]; do
		sleep 0.1
	done
}
stop() {
	sleep 0.5
	kill -INT $pid
	wait $pid
	echo $? >"$out/$1.rc"
}

uname -r >"$out/kernel"
# As on a fresh host: no tracefs. vfiopm-trace must mount it to learn which
# functions fentry/fexit may patch (the VM's init mounted both).
umount /sys/kernel/debug 2>/dev/null
umount /sys/kernel/tracing 2>/dev/null
grep -E ' (tracefs|debugfs) ' /proc/mounts >"$out/mounts-before.txt"
$tool --verify >"$out/verify.txt" 2>&1
echo $? >"$out/verify.rc"
wait_state D3hot
cat "$dev/power_state" >"$out/state-start"

run stock.jsonl '"type":"start"' --json --stacks -w "$out/stock.vfr"
$lp "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit entry-wakeup wait-d3 read wait-wake exit \
	>"$out/lowpower.txt" 2>&1
echo "lowpower-rc $?" >>"$out/lowpower.txt"
wait_state D3hot
stop stock.jsonl

run live.txt TIME -H
$lp "$VFIOPM_BDF" entry wait-d3 read wait-d3 exit >/dev/null 2>&1
wait_state D3hot
stop live.txt
cat "$out/live.txt"

# stopped while vfio-lowpower holds the device open: its reference is outstanding
run held.jsonl '"type":"start"' --json
$lp "$VFIOPM_BDF" sleep:8000 >/dev/null 2>&1 &
lpid=$!
wait_state D0
sleep 2
stop held.jsonl
wait $lpid
exit 0
