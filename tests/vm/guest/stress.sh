#!/bin/sh
# Runs inside the test VM (scripts/vm-run.sh):
#
#   stress.sh RUNS SECONDS FAULT_KO
#
# RUNS times, the concurrent workload (tools/vfio-lowpower/vfio-stress) on
# $VFIOPM_BDF for SECONDS, under `vfiopm-trace --json --fail-on-imbalance`
# with the vfio events recorded in tracefs at the same time; then twice more
# with a fault injected mid-run by tests/fault's module: a reference taken
# and held (leak), and one extra put (put). Saves in $VFIOPM_OUT, per run
# NAME (run1.., leak, put):
#   NAME.jsonl, NAME.rc     vfiopm-trace's output and exit status
#   NAME.ftrace             the tracefs buffer
#   NAME.stress, .stress-rc the workload's counts (JSON) and exit status
#   NAME.usage              runtime_usage once the device is idle again
#   NAME.dmesg              the fault module's own report (fault runs)
set -u
runs=$1 secs=$2 ko=$3
stress=tools/vfio-lowpower/vfio-stress
t=/sys/kernel/tracing
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh

inject() {	# inject FAULT: halfway through the workload
	sleep $((secs / 2))
	# the put waits in the module until vfio holds 2 references, so the
	# kernel takes it (at 0 it would refuse it, and nothing would be wrong)
	insmod "$ko" bdf="$VFIOPM_BDF" mode="$1" min_count=2
	dmesg | grep 'vfiopm_fault:' | tail -n 1 >"$out/$1.dmesg"
	[ "$1" = put ] && rmmod vfiopm_fault
}

one_run() {	# one_run NAME [FAULT]
	name=$1 fault=${2:-}
	echo "run $name" >>"$out/progress"
	wait_state D3hot 15
	record_vfio_events 16384
	start_tracer "$out/$name.jsonl" "$out/$name.err" --json --fail-on-imbalance --stacks -w "$out/$name.vfr"
	echo 1 >"$t/tracing_on"
	# the extra put runs without the sysfs reader: that reader's own put could be
	# the one the kernel refuses, which no vfio event shows (docs/testing.md)
	opts=
	[ "$fault" = put ] && opts=--no-sysfs
	$stress -q -s "$secs" $opts "$VFIOPM_BDF" >"$out/$name.stress" 2>"$out/$name.stress-err" &
	spid=$!
	[ -n "$fault" ] && inject "$fault"
	wait $spid
	echo $? >"$out/$name.stress-rc"
	[ "$fault" = leak ] || wait_state D3hot 15
	sleep 0.5
	echo 0 >"$t/tracing_on"
	stop_tracer "$out/$name.rc"
	cat "$t/trace" >"$out/$name.ftrace"
	if [ "$fault" = leak ]; then
		rmmod vfiopm_fault
		wait_state D3hot 15
	fi
	if [ "$fault" = put ]; then	# a refused put skips the idle check: suspend it again
		echo on >"$dev/power/control"
		echo auto >"$dev/power/control"
		wait_state D3hot 15
	fi
	cat "$dev/power/runtime_usage" >"$out/$name.usage"
}

r=1
while [ $r -le "$runs" ]; do
	one_run "run$r"
	r=$((r + 1))
done
one_run leak leak
one_run put put
echo 0 >"$t/events/vfio/enable"
echo 0 >"$t/events/vfio_pci/enable"
echo "done" >>"$out/progress"
exit 0
