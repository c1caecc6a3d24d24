#!/usr/bin/env bash
# VM tier on the same 6.12 tree built without the series: the low-power uAPI
# behaves the same (the kselftest passes: the series changes no behaviour),
# the vfio trace systems are absent, and the generic rpm events are there
# (the baseline that stock-kernel mode and overhead comparisons build on).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "unpatched kernel VM tier"

patched=$(test_kernel) ||
	{ not_ok "patched tree builds (for the kselftest binary)"; exit 1; }
kdir=$(test_kernel --unpatched) ||
	{ not_ok "unpatched test kernel builds"; exit 1; }
ok "unpatched test kernel builds ($(cat "$kdir/build-seconds") s when built)"

out=$(mktemp -d /tmp/vfiopm-test.XXXXXX)
# shellcheck disable=SC2016 # expanded in the guest
vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" -- sh -c '
		t=/sys/kernel/tracing
		ls $t/events >$VFIOPM_OUT/event-systems
		"$1" "$VFIOPM_BDF" >$VFIOPM_OUT/kselftest.tap 2>&1' sh \
	"$patched/linux/tools/testing/selftests/vfio/vfio_low_power_test"
[ -s "$out/kselftest.tap" ] || { not_ok "VM booted and ran the kselftest (exit $rc)"; exit 1; }

kselftest_tap "unpatched kselftest" "$out/kselftest.tap"
check "unpatched kselftest: exit status 0" test "$rc" = 0
check "unpatched kernel has no vfio trace systems" \
	bash -c "! grep -qxE 'vfio|vfio_pci' '$out/event-systems'"
check "unpatched kernel has the rpm trace system" grep -qx rpm "$out/event-systems"
exit $tap_failed
