#!/bin/sh
# Runs inside the test VM (see scripts/vm-run.sh):
#
#   kselftest-traced.sh SELFTEST
#
# 1. runs the vfio low-power kselftest on $VFIOPM_BDF with every vfio:* and
#    vfio_pci:* event enabled in tracefs, and saves:
#      kselftest.tap  its TAP output       trace.txt  the ftrace buffer
#      usage-start, usage-end, state-end   sysfs runtime_usage / power_state
#      format/EVENT   the kernel's events/<system>/EVENT/format files
#    (all in $VFIOPM_OUT); exits with the kselftest's status;
# 2. negative control, untraced: with a usage-count reference held outside
#    vfio (power/control=on) one kselftest case must fail; its exit status is
#    saved in negative-rc.
set -u
selftest=$1
t=/sys/kernel/tracing
dev=/sys/bus/pci/devices/$VFIOPM_BDF
out=$VFIOPM_OUT

. tests/vm/guest/lib.sh

for sys in vfio vfio_pci; do
	[ -d "$t/events/$sys" ] || { echo "no $sys trace events in this kernel"; exit 3; }
done

# the kernel's own description of every event, for the contract check
mkdir -p "$out/format"
for f in "$t"/events/vfio/*/format "$t"/events/vfio_pci/*/format; do
	e=${f%/format}
	cp "$f" "$out/format/${e##*/}"
done

wait_state D3hot
cat "$dev/power/runtime_usage" >"$out/usage-start"
echo 0 >"$t/tracing_on"
echo 4096 >"$t/buffer_size_kb"
echo >"$t/trace"
echo 1 >"$t/events/vfio/enable"
echo 1 >"$t/events/vfio_pci/enable"
echo 1 >"$t/tracing_on"

"$selftest" "$VFIOPM_BDF" >"$out/kselftest.tap" 2>&1
rc=$?

wait_state D3hot
echo 0 >"$t/tracing_on"
cat "$t/trace" >"$out/trace.txt"
echo 0 >"$t/events/vfio/enable"
echo 0 >"$t/events/vfio_pci/enable"
cat "$dev/power/runtime_usage" >"$out/usage-end"
cat "$dev/power_state" >"$out/state-end"
cat "$out/kselftest.tap"

echo on >"$dev/power/control"
"$selftest" -t entry_suspends_access_wakes_and_resuspends "$VFIOPM_BDF" \
	>"$out/negative.tap" 2>&1
echo $? >"$out/negative-rc"
echo auto >"$dev/power/control"

exit $rc
