#!/usr/bin/env bash
# `make demo`: build the patched test kernel (cached), boot it under QEMU with
# the e1000e behind a PCIe root port that firmware can power off (the shape of
# a GPU slot: D3cold), ask vfiopm-status why it sleeps or not, and drive
# low-power cycles on it while the vfio tracepoints stream.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kdir=$("$top/scripts/build-kernel.sh" | tail -n 1)
out=$(mktemp -d /tmp/vfiopm-demo.XXXXXX)
log "booting the test VM (software emulation: ~10 s)"
"$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" --out "$out" \
	--root-port --d3cold \
	--timeout "${VFIOPM_VM_TIMEOUT:-300}" -- scripts/demo/guest.sh
# the power timeline of what it did, rendered for the README
[ -s "$out/demo.jsonl" ] || exit 0
"$top/tools/vfiopm-check/vfiopm-check" -q --timeline "$out/timeline.html" "$out/demo.jsonl" || true
if command -v chromium >/dev/null; then
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,350 \
		--screenshot="$out/timeline.png" "file://$out/timeline.html" >/dev/null 2>&1 &&
		cp "$out/timeline.png" "$top/docs/timeline.png"
fi
log "power timeline: $out/timeline.html${out:+ (rendered: docs/timeline.png)}"
