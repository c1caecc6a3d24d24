#!/bin/sh
# Runs inside the test VM (scripts/vm-run.sh):
#
#   status.sh FAULT_KO
#
# vfiopm-status --json on $VFIOPM_BDF in each situation, made for real;
# saves NAME.json, NAME.rc and NAME.txt (the human view) in $VFIOPM_OUT:
#   idle      nothing open, suspended
#   open      a process holds the device open, low power not entered
#   engaged   the same process after LOW_POWER_ENTRY, device suspended
#   control   power/control=on
#   leak      a reference taken by tests/fault's module, nothing open
set -u
ko=$1
st=tools/vfiopm-status/vfiopm-status
lp=tools/vfio-lowpower/vfio-lowpower
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh

status() {	# status NAME: the JSON judged by the host, the human view for the docs
	$st --json "$VFIOPM_BDF" >"$out/$1.json" 2>"$out/$1.err"
	echo $? >"$out/$1.rc"
	$st "$VFIOPM_BDF" >"$out/$1.txt" 2>&1
}
wait_usage() {	# wait_usage N: until runtime_usage reads N (10 s at most)
	i=0
	while [ "$(cat "$dev/power/runtime_usage")" != "$1" ] && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
}

wait_state D3hot 15
status idle
$lp "$VFIOPM_BDF" sleep:4000 >/dev/null 2>&1 &
lpid=$!
wait_usage 1
status open
wait $lpid
wait_state D3hot 15
$lp "$VFIOPM_BDF" entry wait-d3 sleep:4000 >/dev/null 2>&1 &
lpid=$!
sleep 1
wait_state D3hot 15
status engaged
wait $lpid
wait_state D3hot 15
echo on >"$dev/power/control"
status control
echo auto >"$dev/power/control"
wait_state D3hot 15
insmod "$ko" bdf="$VFIOPM_BDF" mode=leak
status leak
rmmod vfiopm_fault
wait_state D3hot 15
echo done >"$out/progress"
exit 0
