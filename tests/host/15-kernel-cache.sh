#!/usr/bin/env bash
# Host tier: a kernel cache entry counts as built only with every product it
# promises, so a half-built entry (a kselftest installed elsewhere, a vmlinux
# without BTF) is rebuilt instead of trusted. Uses fake entries in a private
# cache: nothing is built here.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

bk=$top/scripts/build-kernel.sh
[ -r /usr/src/linux-source-6.12.tar.xz ] || { not_ok "kernel cache: linux-source-6.12 missing"; exit 1; }
cache=$(mktemp -d /tmp/vfiopm-cache.XXXXXX)
trap 'rm -rf "$cache"' EXIT
export VFIOPM_CACHE=$cache

status() { "$bk" "$@" --status 2>&1; }
st=$(status); rc=$?
check "empty cache: --status says not built, exit 1 ($st)" sh -c "test $rc = 1 && echo '$st' | grep -q ': not built$'"
entry=${st%%: *}

# A fake entry: each product non-empty, vmlinux an ELF with or without .BTF.
mkdir -p "$entry/linux/arch/x86/boot" "$entry/linux/tools/testing/selftests/vfio"
echo 'int x;' | cc -x c -c - -o "$cache/plain.o"
echo x >"$cache/btf.bin"
objcopy --add-section .BTF="$cache/btf.bin" "$cache/plain.o" "$cache/btf.o"
echo image >"$entry/linux/arch/x86/boot/bzImage"
echo 'crc	sym	vmlinux	EXPORT_SYMBOL' >"$entry/linux/Module.symvers"
cp "$cache/btf.o" "$entry/linux/vmlinux"
chmod +x "$entry/linux/vmlinux"
touch "$entry/.done"
kst=$entry/linux/tools/testing/selftests/vfio/vfio_low_power_test

st=$(status); rc=$?
check "marked done without the kselftest: incomplete, names it, exit 1" \
	sh -c "test $rc = 1 && echo '$st' | grep -q 'incomplete, missing: linux/tools/testing/selftests/vfio/vfio_low_power_test$'"
echo '#!/bin/sh' >"$kst"
st=$(status); rc=$?
check "kselftest not executable: still incomplete" test "$rc" = 1
chmod +x "$kst"
st=$(status); rc=$?
check "every product there: complete, exit 0 ($st)" sh -c "test $rc = 0 && echo '$st' | grep -q ': complete$'"
cp "$cache/plain.o" "$entry/linux/vmlinux"
st=$(status); rc=$?
check "vmlinux without BTF: incomplete, says so" \
	sh -c "test $rc = 1 && echo '$st' | grep -qF 'linux/vmlinux (.BTF section)'"
cp "$cache/btf.o" "$entry/linux/vmlinux"
: >"$entry/linux/Module.symvers"
st=$(status); rc=$?
check "empty Module.symvers: incomplete" sh -c "test $rc = 1 && echo '$st' | grep -q 'Module.symvers'"

# The unpatched tree promises no kselftest.
st=$(status --unpatched)
uentry=${st%%: *}
check "unpatched entry has its own key" test "$uentry" != "$entry"
mkdir -p "$uentry/linux/arch/x86/boot"
cp "$entry/linux/arch/x86/boot/bzImage" "$uentry/linux/arch/x86/boot/"
cp "$cache/btf.o" "$uentry/linux/vmlinux"
echo sym >"$uentry/linux/Module.symvers"
touch "$uentry/.done"
st=$(status --unpatched); rc=$?
check "unpatched entry complete without a kselftest ($st)" test "$rc" = 0
exit $tap_failed
