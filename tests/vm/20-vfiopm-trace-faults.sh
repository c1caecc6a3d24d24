#!/usr/bin/env bash
# VM tier, patched kernel: runtime-PM faults injected by tests/fault's module
# are flagged by vfiopm-trace with the device, the pairing and the call site:
# a leaked reference, an extra put that makes vfio's own put underflow, and
# an extra put at count 0. A tool that flags nothing here fails. Each run is
# also recorded (-w): its replay must be its --json output, byte for byte.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "vfiopm-trace fault tier"
kdir=$(test_kernel) ||
	{ not_ok "patched test kernel builds"; exit 1; }
require_trace_tools
if ko=$("$top/tests/fault/build.sh" "$kdir/linux" | tail -n 1); then
	ok "fault module builds against the test kernel"
else
	not_ok "fault module builds against the test kernel"
	exit 1
fi

out=$(mktemp -d /tmp/vfiopm-trace-faults.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" -- tests/vm/guest/vfiopm-trace-fault.sh "$ko"
vm_require_ran
for c in leak steal underflow; do
	[ -s "$out/$c.jsonl" ] || { not_ok "fault case $c ran: $(head -c 300 "$out/$c.err" 2>/dev/null)"; exit 1; }
done
bdf=$(sed -n 's/.*vfio-pci: \([0-9a-f:.]*\).*/\1/p' "$out/console.log" | head -n 1)
python3 "$top/tools/vfiopm-trace/tests/check-faults.py" "$out" "$bdf" || tap_failed=1
make -s -C "$top/tools/vfiopm-check" vfiopm-check build/san-vfiopm-check >/dev/null
python3 "$top/tests/record-check.py" --args "--fail-on-imbalance --stacks" \
	"$out"/leak.jsonl "$out"/steal.jsonl "$out"/underflow.jsonl || tap_failed=1
check "kernel refused both extra puts (dmesg: usage count underflow)" \
	test "$(grep -c 'usage count underflow' "$out/dmesg.txt")" -ge 2
if [ -x "$top/tools/vfiopm-check/vfiopm-check" ]; then
	"$top/tools/vfiopm-check/vfiopm-check" -q "$out/steal.jsonl"
	crc=$?
	check "vfiopm-check finds the extra put in vfiopm-trace's JSON (exit $crc)" test "$crc" = 1
fi
for c in leak steal underflow; do cp "$out/$c.jsonl" "$top/tests/logs/vfiopm-trace-fault-$c.jsonl" 2>/dev/null; done
exit $tap_failed
