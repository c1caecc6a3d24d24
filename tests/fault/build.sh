#!/usr/bin/env bash
# Build vfiopm_fault.ko against a kernel build tree; prints the .ko path.
#   tests/fault/build.sh KDIR
# Builds in a copy under $VFIOPM_CACHE (keyed by the sources and the kernel),
# which the test VM sees through the shared host root.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
. "$src/../../scripts/lib.sh"
kdir=${1:?usage: build.sh KDIR}
[ -f "$kdir/Module.symvers" ] || die "$kdir is not a built kernel tree (no Module.symvers)"
# kernel.release alone does not change with the config: key by the tree too
key=$( (cat "$src/vfiopm_fault.c" "$src/Makefile" "$kdir/Module.symvers" "$kdir/.config"
	cd "$kdir" && pwd) | sha256sum | cut -c1-16)
out=$VFIOPM_CACHE/fault-$key
if [ ! -f "$out/vfiopm_fault.ko" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	cp "$src/vfiopm_fault.c" "$src/Makefile" "$out/"
	make -s -C "$kdir" M="$out" modules >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log" >&2; die "fault module build failed"; }
fi
echo "$out/vfiopm_fault.ko"
