#!/bin/sh
# Runs inside the test VM (scripts/vm-run.sh):
#
#   vfiopm-trace-fault.sh FAULT_KO
#
# Injects runtime-PM faults on $VFIOPM_BDF with tests/fault's module while
# `vfiopm-trace --json --fail-on-imbalance` runs; each case saves CASE.jsonl
# and CASE.rc in $VFIOPM_OUT:
#   leak      a reference taken outside vfio and never released (until rmmod)
#   steal     an extra put while a vfio session holds its reference: the
#             session's own put then underflows
#   underflow an extra put at count 0 (the kernel refuses it with -EINVAL)
#   lost      a tiny ring buffer cannot be tested here; see the host tier
set -u
ko=$1
lp=tools/vfio-lowpower/vfio-lowpower
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh
start_tool() {
	echo "case $1" >>"$out/progress"
	start_tracer "$out/$1.jsonl" "$out/$1.err" --json --fail-on-imbalance --stacks -w "$out/$1.vfr"
	pid=$tpid
}
stop_tool() {
	sleep 0.5
	kill -INT $pid
	wait $pid
	echo $? >"$out/$1.rc"
	cat "$dev/power/runtime_usage" >"$out/$1.usage"
}

# leak: the module's pm_runtime_get_sync() keeps the device awake
wait_state D3hot 15
start_tool leak
insmod "$ko" bdf="$VFIOPM_BDF" mode=leak
$lp "$VFIOPM_BDF" read >/dev/null 2>&1
sleep 0.3
stop_tool leak
rmmod vfiopm_fault; echo "rmmod $?" >>"$out/progress"

# steal: vfio holds the session reference, the module drops it
wait_state D3hot 15
start_tool steal
$lp "$VFIOPM_BDF" sleep:6000 read >/dev/null 2>&1 &
lpid=$!
end=$(($(date +%s) + 15))	# until the session holds its reference
while [ "$(cat "$dev/power/runtime_usage")" != 1 ] && [ "$(date +%s)" -lt $end ]; do
	sleep 0.05
done
insmod "$ko" bdf="$VFIOPM_BDF" mode=put
wait $lpid
echo "vfio-lowpower $?" >"$out/steal.lp"
stop_tool steal
rmmod vfiopm_fault; echo "rmmod $?" >>"$out/progress"
# the refused put never ran the idle check: let the PM core suspend it again
echo on >"$dev/power/control"
echo auto >"$dev/power/control"

# underflow: an extra put at count 0
wait_state D3hot 15
start_tool underflow
insmod "$ko" bdf="$VFIOPM_BDF" mode=put
stop_tool underflow
rmmod vfiopm_fault; echo "rmmod $?" >>"$out/progress"
dmesg | grep -E 'vfiopm_fault|underflow' >"$out/dmesg.txt"
for c in leak steal underflow; do echo "# $c: rc $(cat "$out/$c.rc") usage $(cat "$out/$c.usage")"; done
exit 0
