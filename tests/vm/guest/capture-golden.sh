#!/bin/sh
# Runs inside the test VM (scripts/capture-golden-logs.sh): runs the vfio
# kselftest once under each real capture tool and leaves the text logs in
# $VFIOPM_OUT: raw tracefs (kselftest.balanced.trace), perf record + perf
# script (kselftest.balanced.perf), trace-cmd record + report
# (kselftest.balanced.tcreport), vfiopm-trace --json (kselftest.balanced.jsonl).
# Exits non-zero if a run fails.
set -eu
selftest=$1
tool=$PWD/tools/vfiopm-trace/vfiopm-trace
t=/sys/kernel/tracing
out=$VFIOPM_OUT
run() { "$selftest" "$VFIOPM_BDF" >/dev/null; }

echo >$t/trace
echo 1 >$t/events/vfio/enable
echo 1 >$t/events/vfio_pci/enable
run
echo 0 >$t/events/vfio/enable
echo 0 >$t/events/vfio_pci/enable
cat $t/trace >$out/kselftest.balanced.trace

cd /tmp
perf record -q -a -e 'vfio:*' -e 'vfio_pci:*' -o perf.data -- "$selftest" "$VFIOPM_BDF" >/dev/null
perf script --show-lost-events -i perf.data >$out/kselftest.balanced.perf

trace-cmd record -q -e vfio -e vfio_pci -o trace.dat "$selftest" "$VFIOPM_BDF" >/dev/null
trace-cmd report -i trace.dat >$out/kselftest.balanced.tcreport

"$tool" --json -d "$VFIOPM_BDF" >$out/kselftest.balanced.jsonl &
pid=$!
until grep -q '"type":"start"' $out/kselftest.balanced.jsonl; do sleep 0.5; done
run
kill -INT $pid
wait $pid
