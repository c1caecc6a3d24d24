#!/bin/sh
# Runs inside the test VM (scripts/vm-run.sh), booted on a kernel with a
# test-only bug in vfio_pci_rw() (tests/kernel-bugs/):
#
#   kernel-bug.sh
#
# Two cases, each under `vfiopm-trace --json --fail-on-imbalance` (no --stacks:
# the site must come from the default, four-frame walk)
# with tracefs recording the vfio events; saves CASE.jsonl, CASE.rc,
# CASE.ftrace, CASE.usage in $VFIOPM_OUT:
#   control   config reads only: the bug path is not taken
#   bug       a config read, then a ROM write, which vfio-pci refuses: the
#             bug path
# and after.jsonl: a second tracer started once the bug case is over, which
# must report a reference held before it began (if the bug leaked one).
set -u
tool=tools/vfiopm-trace/vfiopm-trace
lp=tools/vfio-lowpower/vfio-lowpower
t=/sys/kernel/tracing
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh

one_case() {	# one_case NAME STEP...
	name=$1
	shift
	echo "case $name" >>"$out/progress"
	wait_state D3hot 15
	record_vfio_events 4096
	start_tracer "$out/$name.jsonl" "$out/$name.err" --json --fail-on-imbalance -w "$out/$name.vfr"
	sleep 0.3	# past the start-up sampling of the count
	echo 1 >"$t/tracing_on"
	$lp "$VFIOPM_BDF" "$@" >"$out/$name.lp" 2>&1
	echo "rc $?" >>"$out/$name.lp"
	sleep 1
	echo 0 >"$t/tracing_on"
	stop_tracer "$out/$name.rc"
	cat "$t/trace" >"$out/$name.ftrace"
	cat "$dev/power/runtime_usage" >"$out/$name.usage"
}

one_case control read read read
one_case bug read rom-write
$tool --json -s --duration 2 -w "$out/after.vfr" >"$out/after.jsonl" 2>"$out/after.err"
echo $? >"$out/after.rc"
echo "done" >>"$out/progress"
exit 0
