#!/usr/bin/env bash
# `make demo`: build the patched test kernel (cached), boot it under QEMU with
# the e1000e behind a PCIe root port that firmware can power off (the shape of
# a GPU slot: D3cold), ask vfiopm-status why it sleeps or not, and drive
# low-power cycles on it while the vfio tracepoints stream.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kdir=$("$top/scripts/build-kernel.sh" | tail -n 1)
log "booting the test VM (software emulation: ~10 s)"
exec "$top/scripts/vm-run.sh" --kernel "$kdir/linux/arch/x86/boot/bzImage" \
	--root-port --d3cold \
	--timeout "${VFIOPM_VM_TIMEOUT:-300}" -- scripts/demo/guest.sh
