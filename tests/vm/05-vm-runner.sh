#!/usr/bin/env bash
# The test VM runner itself: clear errors when QEMU or the kernel is missing,
# the guest command's exit status comes back, and a hung guest is killed at
# the timeout and reported (exit 124) instead of being waited on.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "VM runner tier"
kdir=$(test_kernel) || { not_ok "patched test kernel builds"; exit 1; }
kernel=$kdir/linux/arch/x86/boot/bzImage
run=$top/scripts/vm-run.sh
tmp=$(mktemp -d /tmp/vfiopm-runner.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$run" --kernel /nonexistent/bzImage -- true >/dev/null 2>"$tmp/err"
check "missing kernel: exit 2 and says so" \
	bash -c "[ $? = 2 ] && grep -q 'kernel image not found' '$tmp/err'"

# Everything on PATH but QEMU.
mkdir -p "$tmp/bin"
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
	[ "${f##*/}" = qemu-system-x86_64 ] || ln -sf "$f" "$tmp/bin/" 2>/dev/null
done
PATH=$tmp/bin "$run" --kernel "$kernel" -- true >/dev/null 2>"$tmp/err"
check "missing QEMU: exit 2 and names the package" \
	bash -c "[ $? = 2 ] && grep -q 'qemu-system-x86_64 not found.*qemu-system-x86' '$tmp/err'"

"$run" --kernel "$kernel" --timeout 300 --out "$tmp/a" -- sh -c 'echo hello from $VFIOPM_BDF; exit 7' >"$tmp/out" 2>/dev/null
check "guest command's exit status and output come back" \
	bash -c "[ $? = 7 ] && grep -q 'hello from 0000:' '$tmp/out'"

t0=$(date +%s)
"$run" --kernel "$kernel" --timeout 25 --out "$tmp/b" -- sleep 600 >/dev/null 2>"$tmp/err"
rc=$?
t=$(($(date +%s) - t0))
check "hung guest killed at the timeout: exit 124 after ${t} s" \
	bash -c "[ $rc = 124 ] && [ $t -lt 60 ] && grep -q 'timed out after 25s' '$tmp/err'"
check "hung guest: hang.txt has each vCPU's position and the stuck task's stack" \
	bash -c "grep -q '^  cpu0 .*; cpu1 ' '$tmp/b/hang.txt' &&
		grep -A12 'task:sleep ' '$tmp/b/hang.txt' | grep -q 'nanosleep'"
exit $tap_failed
