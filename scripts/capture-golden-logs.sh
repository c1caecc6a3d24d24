#!/usr/bin/env bash
# Regenerate the golden logs in tests/data/vfiopm-check/golden/: the vfio
# kselftest captured in the patched test VM with raw tracefs, perf and
# trace-cmd (see tests/vm/guest/capture-golden.sh). The host tier asserts that
# vfiopm-check finds every one of them balanced.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kdir=$("$top/scripts/build-kernel.sh" | tail -n 1)
out=$(mktemp -d /tmp/vfiopm-golden.XXXXXX)
"$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" --timeout 600 \
	--out "$out" -- tests/vm/guest/capture-golden.sh \
	"$kdir/linux/tools/testing/selftests/vfio/vfio_low_power_test"
dest=$top/tests/data/vfiopm-check/golden
mkdir -p "$dest"
cp "$out"/kselftest.balanced.* "$dest/"
wc -l "$dest"/kselftest.balanced.* >&2
log "golden logs written to $dest"
