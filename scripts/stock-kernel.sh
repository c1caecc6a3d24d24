#!/usr/bin/env bash
# Fetch and prepare a stock Debian kernel for the test VM (no vfiopm patches).
#
#   scripts/stock-kernel.sh 6.12|6.1
#
# Downloads the newest linux-image-<series>*-amd64-unsigned package with
# apt-get download (no install), unpacks it under $VFIOPM_CACHE, runs depmod on
# it and gathers the modules the VM needs (virtio-pci, 9p, vfio-pci with the
# type1 IOMMU backend), decompressed for busybox insmod, in dependency order,
# with the load.list that scripts/vm-run.sh --modules reads. Cached: a second
# run is instant. Prints the prepared directory (the last line):
#   DIR/vmlinuz   DIR/modules/*.ko + load.list   DIR/version
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

series=${1:-}
case "$series" in
6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
6.1) pattern='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
*) die "usage: stock-kernel.sh 6.12|6.1" ;;
esac
for c in apt-cache apt-get dpkg depmod modprobe; do
	command -v $c >/dev/null || die "$c missing (package kmod / apt)"
done

pkg=$(apt-cache pkgnames linux-image- | grep -E "$pattern" | sort -V | tail -n 1)
[ -n "$pkg" ] || die "no package matching $pattern in the apt lists (run apt-get update)"
out=$VFIOPM_CACHE/stock-$pkg
mkdir -p "$VFIOPM_CACHE"
exec 9>"$out.lock"
flock 9
if [ -f "$out/.done" ]; then
	log "stock kernel cached: $out"
	echo "$out"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out/root" "$out/modules"
log "downloading $pkg"
(cd "$out" && apt-get download -q "$pkg" 2>&1 >/dev/null | grep -v 'unsandboxed' >&2; test -f ./*.deb) || die "apt-get download $pkg failed"
dpkg -x "$out"/*.deb "$out/root"
kver=$(ls "$out/root/lib/modules" | head -n 1)
[ -n "$kver" ] || die "$pkg has no modules"
cp "$out/root/boot/vmlinuz-$kver" "$out/vmlinuz"
depmod -b "$out/root" "$kver"

# What the VM needs that stock kernels build as modules (some are built in on
# one series and modules on the other: modprobe lists only what is a module).
wanted="virtio_pci 9pnet_virtio 9p vfio_pci vfio_iommu_type1"
: >"$out/modules/load.list"
for m in $wanted; do
	modprobe -d "$out/root" -S "$kver" --show-depends "$m" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	name=$(basename "$ko")
	case "$name" in
	*.ko.xz) xz -dc "$ko" >"$out/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$ko" >"$out/modules/${name%.zst}"; name=${name%.zst} ;;
	*) cp "$ko" "$out/modules/$name" ;;
	esac
	echo "$name" >>"$out/modules/load.list"
done
[ -s "$out/modules/load.list" ] || die "no modules resolved for $wanted"
grep -qE '^vfio[-_]pci.ko$' "$out/modules/load.list" || die "vfio_pci module not found in $pkg"
echo "$kver" >"$out/version"
rm -f "$out"/*.deb
rm -rf "$out/root/usr/share"	# docs; the module tree stays for reference
touch "$out/.done"
log "stock kernel $kver ready: $out ($(wc -l <"$out/modules/load.list") modules)"
echo "$out"
