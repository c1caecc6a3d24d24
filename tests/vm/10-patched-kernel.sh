#!/usr/bin/env bash
# VM tier on the patched test kernel: the vfio low-power kselftest passes, every
# event of docs/tracepoints.md fires with sane fields, the usage count ends
# where it started, and the kselftest fails when a reference is held outside
# vfio (so it can fail at all).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "patched kernel VM tier"

kdir=$(test_kernel) ||
	{ not_ok "patched test kernel builds"; exit 1; }
ok "patched test kernel builds ($(cat "$kdir/build-seconds") s when built)"

selftest=$kdir/linux/tools/testing/selftests/vfio/vfio_low_power_test
out=$(mktemp -d /tmp/vfiopm-test.XXXXXX)
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" -- tests/vm/guest/kselftest-traced.sh "$selftest"
vm_require_ran
[ -s "$out/kselftest.tap" ] || { not_ok "kselftest ran: $(tail -n 5 "$out/output")"; exit 1; }
ok "VM booted, bound the device and ran the test ($(grep -o 'booted in [0-9.]* s' "$out/console.log"))"

kselftest_tap "kselftest" "$out/kselftest.tap"
check "kselftest: exit status 0 and 9 cases passed" \
	test "$rc" = 0 -a "$(grep -cE '^ok [0-9]+ ' "$out/kselftest.tap")" = 9

bdf=$(sed -n 's/.*vfio-pci: \([0-9a-f:.]*\).*/\1/p' "$out/console.log" | head -n 1)
python3 "$top/tests/vm/check-trace.py" "$out/trace.txt" "$bdf" "$top/docs/tracepoints.md" \
	--usage-start "$(cat "$out/usage-start")" --usage-end "$(cat "$out/usage-end")" ||
	tap_failed=1
check "device back in D3hot after the run" test "$(cat "$out/state-end")" = D3hot
# the event contract (bpf/vfiopm-contract.h) against the kernel's format files,
# and a control: a format file with two reasons renumbered must fail it
python3 "$top/scripts/contract.py" --formats "$out/format" || tap_failed=1
mkdir -p "$out/format-doctored"
cp "$out"/format/* "$out/format-doctored/"
sed -i 's/{ 7, "sriov" }/{ 8, "sriov" }/; s/{ 8, "reset" }/{ 7, "reset" }/' "$out/format-doctored/vfio_pci_pm_get"
python3 "$top/scripts/contract.py" --formats "$out/format-doctored" >"$out/format-doctored.tap"
check "contract: a format file with two reasons renumbered fails the check, for that reason (control)" \
	sh -c "test \$(grep -c '^not ok' '$out/format-doctored.tap') = 1 &&
		grep -q '^not ok - contract: vfio_pci_pm_get reason' '$out/format-doctored.tap'"

nrc=$(cat "$out/negative-rc" 2>/dev/null)
check "negative control: kselftest fails while a reference is held outside vfio (exit $nrc)" \
	test -n "$nrc" -a "$nrc" != 0 -a "$nrc" != 4

cp "$out/trace.txt" "$top/tests/logs/patched-kselftest-trace.txt" 2>/dev/null
exit $tap_failed
