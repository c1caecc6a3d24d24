#!/usr/bin/env bash
# Build the vfiopm test kernel from Debian's linux-source-6.12.
#
#   scripts/build-kernel.sh [--unpatched] [--print-dir]
#
# Extracts /usr/src/linux-source-6.12.tar.xz, applies kernel/patches/series
# (unless --unpatched), merges kernel/config/vfiopm.config onto tinyconfig and
# builds bzImage + vmlinux (with BTF) and, for the patched tree, the vfio
# kselftest. The result is cached outside the work tree, keyed by a hash of the
# source package version, the series and the config fragment, so a second run
# is instant. Prints the build directory on stdout (the last line).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

variant=patched
while [ $# -gt 0 ]; do
	case "$1" in
	--unpatched) variant=unpatched ;;
	-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option: $1 (try --help)" ;;
	esac
	shift
done

tarball=/usr/src/linux-source-6.12.tar.xz
[ -r "$tarball" ] || die "$tarball missing: run scripts/install-deps.sh (package linux-source-6.12)"
command -v pahole >/dev/null || die "pahole missing (package dwarves): needed for BTF"

# Bump when the way the tree is built changes, to invalidate old caches.
build_abi=1
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key_input() {
	echo "abi=$build_abi src=$srcver variant=$variant"
	cat "$top/kernel/config/vfiopm.config"
	if [ "$variant" = patched ]; then
		cat "$top/kernel/patches/series"
		while read -r p; do
			case "$p" in '' | '#'*) continue ;; esac
			cat "$top/kernel/patches/$p"
		done <"$top/kernel/patches/series"
	fi
}
key=$(key_input | sha256sum | cut -c1-16)
out="$VFIOPM_CACHE/kernel-$variant-$key"

mkdir -p "$VFIOPM_CACHE"
# One builder per key: a second caller waits for the first and reuses its tree.
exec 9>"$out.lock"
if ! flock -n 9; then
	log "kernel ($variant) is being built by another process; waiting"
	flock 9
fi

if [ -f "$out/.done" ]; then
	log "kernel ($variant) cached: $out"
	echo "$out"
	exit 0
fi

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
t0=$(date +%s)

log "extracting $(basename "$tarball") ($srcver)"
tar -xf "$tarball" -C "$tmp"
mv "$tmp/linux-source-6.12" "$tmp/linux"
src="$tmp/linux"

if [ "$variant" = patched ]; then
	n=0
	while read -r p; do
		case "$p" in '' | '#'*) continue ;; esac
		(cd "$src" && git apply --whitespace=error-all "$top/kernel/patches/$p") ||
			die "patch does not apply: kernel/patches/$p"
		n=$((n + 1))
	done <"$top/kernel/patches/series"
	log "applied $n patches"
fi

log "configuring: tinyconfig + kernel/config/vfiopm.config"
make -C "$src" -s tinyconfig >/dev/null
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$top/kernel/config/vfiopm.config" >/dev/null)
make -C "$src" -s olddefconfig >/dev/null
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}; grep -q "^$opt=" "$src/.config" && { warn "$opt is set, wanted n"; missing=1; } ;;
	CONFIG_*) grep -qx "$line" "$src/.config" || { warn "$line did not stick ($(grep "^${line%%=*}=" "$src/.config" || echo unset))"; missing=1; } ;;
	esac
done <"$top/kernel/config/vfiopm.config"
[ $missing = 0 ] || die "config fragment does not apply cleanly"

jobs=$(nproc)
log "building kernel ($variant) with $jobs jobs: takes ~5-10 minutes; log in $tmp/build.log"
if ! make -C "$src" -j"$jobs" bzImage vmlinux modules >"$tmp/build.log" 2>&1; then
	tail -n 40 "$tmp/build.log" >&2
	die "kernel build failed; full log: $tmp/build.log"
fi

if [ "$variant" = patched ]; then
	log "building the vfio kselftest"
	make -C "$src" -s headers >>"$tmp/build.log" 2>&1
	if ! make -C "$src/tools/testing/selftests/vfio" \
		KHDR_INCLUDES="-isystem $src/usr/include" >>"$tmp/build.log" 2>&1; then
		tail -n 40 "$tmp/build.log" >&2
		die "kselftest build failed; full log: $tmp/build.log"
	fi
fi

t1=$(date +%s)
echo "$((t1 - t0))" >"$tmp/build-seconds"
touch "$tmp/.done"
rm -rf "$out"
mv "$tmp" "$out"
log "kernel ($variant) built in $((t1 - t0)) s: $out"
echo "$out"
