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
# status_is NAME RC [PATTERN] [--unpatched]: --status exits RC and, if
# PATTERN is given, prints a line matching it (grep -E).
status_is() {
	local name=$1 want=$2 pat=${3:-} st rc
	shift 2
	[ $# -eq 0 ] || shift
	st=$(status "$@")
	rc=$?
	if [ "$rc" = "$want" ] && { [ -z "$pat" ] || grep -qE -- "$pat" <<<"$st"; }; then
		ok "$name"
	else
		not_ok "$name: exit $rc, wanted $want; said: $st"
	fi
}
st=$(status)
entry=${st%%: *}
status_is "empty cache: --status says not built, exit 1" 1 ': not built$'

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

status_is "marked done without the kselftest: incomplete, names it, exit 1" 1 \
	'incomplete, missing: linux/tools/testing/selftests/vfio/vfio_low_power_test$'
echo '#!/bin/sh' >"$kst"
status_is "kselftest not executable: still incomplete" 1
chmod +x "$kst"
status_is "every product there: complete, exit 0" 0 ': complete$'
cp "$cache/plain.o" "$entry/linux/vmlinux"
status_is "vmlinux without BTF: incomplete, says so" 1 'linux/vmlinux \(\.BTF section\)'
cp "$cache/btf.o" "$entry/linux/vmlinux"
: >"$entry/linux/Module.symvers"
status_is "empty Module.symvers: incomplete" 1 'Module\.symvers'

# The unpatched tree promises no kselftest.
st=$(status --unpatched)
uentry=${st%%: *}
check "unpatched entry has its own key" test "$uentry" != "$entry"
mkdir -p "$uentry/linux/arch/x86/boot"
cp "$entry/linux/arch/x86/boot/bzImage" "$uentry/linux/arch/x86/boot/"
cp "$cache/btf.o" "$uentry/linux/vmlinux"
echo sym >"$uentry/linux/Module.symvers"
touch "$uentry/.done"
status_is "unpatched entry complete without a kselftest" 0 "" --unpatched
exit $tap_failed
