#!/usr/bin/env bash
# VM tier: bugs in vfio-pci itself. Each test-only kernel change in
# tests/kernel-bugs/ (an error path of vfio_pci_rw() that skips its put, one
# that puts twice) is built as a variant of the cached patched kernel and
# booted; both tools must flag the bug with its pairing, task and site, and
# say balanced where the bug path is not taken.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "kernel-bug tier"
require_trace_tools
make -s -C "$top/tools/vfiopm-check" >/dev/null || { not_ok "vfiopm-check builds"; exit 1; }
check=$top/tools/vfiopm-check/vfiopm-check
for bug in region-leak region-double-put; do
	kdir=$(test_kernel --bug "$bug") || { not_ok "$bug: the variant kernel builds"; continue; }
	out=$(mktemp -d "/tmp/vfiopm-bug-$bug.XXXXXX")
	vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" --timeout 300 -- tests/vm/guest/kernel-bug.sh
	[ "$rc" = 0 ] && grep -q '^done' "$out/progress" 2>/dev/null ||
		{ not_ok "$bug: the VM ran both cases (exit $rc)"; continue; }
	bdf=$(sed -n 's/.*vfio-pci: \([0-9a-f:.]*\).*/\1/p' "$out/console.log" | head -n 1)
	python3 "$top/tests/vm/check-bugs.py" "$out" "$bdf" "$bug" || tap_failed=1
	"$check" "$out/control.ftrace" >"$out/control.check" 2>&1
	v=$?
	check "$bug: control: vfiopm-check on ftrace: balanced (exit $v)" test "$v" = 0
	"$check" "$out/bug.ftrace" >"$out/bug.check" 2>&1
	v=$?
	case $bug in
	region-leak) want='FAIL leak \[region\] task vfio-lowpower' ;;
	region-double-put) want='FAIL underflow \[region\] task vfio-lowpower.*put with no matching get' ;;
	esac
	check "$bug: vfiopm-check on ftrace: imbalance (exit $v): $(grep -m1 FAIL "$out/bug.check" | cut -c1-140)" \
		sh -c "test $v = 1 && grep -qE '$want' '$out/bug.check'"
	{ python3 "$top/tests/record-check.py" --args "--fail-on-imbalance" "$out"/control.jsonl "$out"/bug.jsonl
		r=$?
		python3 "$top/tests/record-check.py" --args "-s" "$out"/after.jsonl && [ $r = 0 ]; } |
		sed "s|^\(\(not \)\{0,1\}ok - \)|\1$bug: |" || tap_failed=1
	for f in control.jsonl bug.jsonl bug.ftrace after.jsonl; do cp "$out/$f" "$top/tests/logs/$bug-$f" 2>/dev/null; done
done
exit $tap_failed
