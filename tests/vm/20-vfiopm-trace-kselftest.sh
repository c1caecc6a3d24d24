#!/usr/bin/env bash
# VM tier, patched kernel: vfiopm-trace follows the kselftest and a known
# vfio-lowpower sequence, its counts match the kernel's own trace buffer and
# the workload, nothing is flagged, and vfiopm-check finds its JSON balanced.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "vfiopm-trace VM tier"
kdir=$(test_kernel) ||
	{ not_ok "patched test kernel builds"; exit 1; }
require_trace_tools

selftest=$kdir/linux/tools/testing/selftests/vfio/vfio_low_power_test
out=$(mktemp -d /tmp/vfiopm-trace-test.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" -- tests/vm/guest/vfiopm-trace-kselftest.sh "$selftest"
vm_require_ran
[ -s "$out/trace.jsonl" ] || { not_ok "vfiopm-trace ran: $(head -c 600 "$out/trace.err" 2>/dev/null)"; exit 1; }
sed -n 's/^ok - verifier: /ok - patched kernel verifier: /p; s/^not ok - verifier: /not ok - patched kernel verifier: /p' "$out/verify.txt"
grep -q '^not ok' "$out/verify.txt" && tap_failed=1
check "patched kernel: all $(grep -c '^ok' "$out/verify.txt") programs load, none skipped" \
	sh -c "test \"\$(cat '$out/verify-rc')\" = 0 && ! grep -q SKIP '$out/verify.txt'"
check "unknown -d device: exit 2, lists the vfio-pci devices" \
	sh -c "test \"\$(cat '$out/unknown-bdf-rc')\" = 2 && grep -q 'not bound to vfio-pci; vfio-pci devices: 0000:' '$out/unknown-bdf.txt'"
check "kselftest under vfiopm-trace: 9 cases passed" \
	test "$(cat "$out/kselftest-rc")" = 0 -a "$(grep -cE '^ok [0-9]+ ' "$out/kselftest.tap")" = 9
check "vfiopm-trace --fail-on-imbalance exited 0 after SIGINT" test "$(cat "$out/trace-rc")" = 0
python3 "$top/tools/vfiopm-trace/tests/check-run.py" "$out" || tap_failed=1
if [ -x "$top/tools/vfiopm-check/vfiopm-check" ]; then
	"$top/tools/vfiopm-check/vfiopm-check" "$out/trace.jsonl" >"$out/check.txt" 2>&1
	crc=$?
	check "vfiopm-check reads vfiopm-trace's JSON as balanced (exit $crc)" test "$crc" = 0
	[ "$crc" = 0 ] || sed 's/^/# /' "$out/check.txt" | head -20
else
	skip "vfiopm-check reads vfiopm-trace's JSON" "tools/vfiopm-check not built"
fi
live=$out/live.txt
check "live view: header names the mode and the device state" \
	grep -q "full mode" "$live"
check "live view: exit 0 after SIGINT" test "$(cat "$out/live-rc")" = 0
live_shows() { grep -q 'pci_wake_signal' "$live" && grep -q 'from D3hot' "$live" && grep -q '^0000:' "$live"; }
check "live view: wake signal, resume from D3hot and summary row shown" live_shows
check "live view: log2 histograms (-H)" grep -q 'usecs.*: count.*distribution' "$live"
iv=$out/interval.txt
check "-s -i 1 --duration 4: stops by itself (exit $(cat "$out/interval-rc")), a summary per second, no event lines" \
	sh -c "test \"\$(cat '$out/interval-rc')\" = 0 && test \$(grep -c '^DEVICE' '$iv') -ge 4 && ! grep -q 'pm_get' '$iv'"
cp "$out/trace.jsonl" "$top/tests/logs/vfiopm-trace-kselftest.jsonl" 2>/dev/null
cp "$live" "$top/tests/logs/vfiopm-trace-live.txt" 2>/dev/null
exit $tap_failed
