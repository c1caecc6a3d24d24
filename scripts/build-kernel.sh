#!/usr/bin/env bash
# Build the vfiopm test kernel from Debian's linux-source-6.12.
#
#   scripts/build-kernel.sh [--unpatched | --bug NAME] [--status]
#
# Extracts /usr/src/linux-source-6.12.tar.xz, applies kernel/patches/series
# (unless --unpatched), merges kernel/config/vfiopm.config onto tinyconfig and
# builds bzImage + vmlinux (with BTF) and, for the patched tree, the vfio
# kselftest. The result is cached outside the work tree, keyed by a hash of the
# source package version, the series and the config fragment, so a second run
# is instant. Prints the build directory on stdout (the last line). An entry
# counts as built only when it has every product it promises (bzImage, vmlinux
# with a .BTF section, Module.symvers, the kselftest binary): an incomplete one
# is rebuilt. --status builds nothing: it prints the entry and what it lacks,
# and exits 0 only when it is complete. --bug NAME builds a test-only variant:
# the patched tree with tests/kernel-bugs/NAME.patch on top (a bug injected in
# vfio-pci), rebuilt incrementally from a copy of the cached patched tree.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

variant=patched status= bug=
while [ $# -gt 0 ]; do
	case "$1" in
	--unpatched) variant=unpatched ;;
	--bug)
		bug=${2:?--bug wants a name from tests/kernel-bugs/}
		[ -f "$top/tests/kernel-bugs/$bug.patch" ] ||
			die "no such bug: tests/kernel-bugs/$bug.patch (have: $(cd "$top/tests/kernel-bugs" && ls *.patch | sed 's/\.patch$//' | tr '\n' ' '))"
		variant=bug-$bug
		shift ;;
	--status) status=1 ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option: $1 (try --help)" ;;
	esac
	shift
done

tarball=/usr/src/linux-source-6.12.tar.xz
[ -r "$tarball" ] || die "$tarball missing: run scripts/install-deps.sh (package linux-source-6.12)"
command -v pahole >/dev/null || die "pahole missing (package dwarves): needed for BTF"

# Bump when the way the tree is built changes, to invalidate old caches.
build_abi=2
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key_input() {
	echo "abi=$build_abi src=$srcver variant=$variant"
	cat "$top/kernel/config/vfiopm.config"
	if [ "$variant" != unpatched ]; then
		cat "$top/kernel/patches/series"
		while read -r p; do
			case "$p" in '' | '#'*) continue ;; esac
			cat "$top/kernel/patches/$p"
		done <"$top/kernel/patches/series"
	fi
}
key=$( (key_input; [ -z "$bug" ] || cat "$top/tests/kernel-bugs/$bug.patch") | sha256sum | cut -c1-16)
out="$VFIOPM_CACHE/kernel-$variant-$key"

# The products a cache entry promises to the VM tiers.
products() {
	echo "linux/arch/x86/boot/bzImage"
	echo "linux/vmlinux"
	echo "linux/Module.symvers"
	[ "$variant" != patched ] || echo "$selftest_rel"
}
selftest_rel=linux/tools/testing/selftests/vfio/vfio_low_power_test

# Prints what $1 lacks of the promised products; empty when complete.
missing_products() {
	local f
	for f in $(products); do
		case "$f" in
		"$selftest_rel") [ -f "$1/$f" ] && [ -x "$1/$f" ] || echo "$f" ;;
		*) [ -s "$1/$f" ] || echo "$f" ;;
		esac
	done
	# Every tier's BPF programs are CO-RE against this BTF.
	# (grep reads it all: grep -q would SIGPIPE readelf under pipefail)
	[ ! -f "$1/linux/vmlinux" ] || readelf -S "$1/linux/vmlinux" 2>/dev/null |
		grep '\.BTF ' >/dev/null || echo "linux/vmlinux (.BTF section)"
}

if [ -n "$status" ]; then
	[ -f "$out/.done" ] || { echo "$out: not built"; exit 1; }
	lacks=$(missing_products "$out")
	[ -z "$lacks" ] || { echo "$out: incomplete, missing:" $lacks; exit 1; }
	echo "$out: complete"
	exit 0
fi

mkdir -p "$VFIOPM_CACHE"
# One builder per key: a second caller waits for the first and reuses its tree.
exec 9>"$out.lock"
if ! flock -n 9; then
	log "kernel ($variant) is being built by another process; waiting"
	flock 9
fi

if [ -f "$out/.done" ]; then
	lacks=$(missing_products "$out")
	if [ -z "$lacks" ]; then
		log "kernel ($variant) cached: $out"
		echo "$out"
		exit 0
	fi
	warn "cached kernel $out is incomplete (missing: $(echo $lacks)); rebuilding"
	rm -rf "$out"
fi

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
t0=$(date +%s)

# The build is complete only with every product: then it becomes the entry.
finish() {
	local lacks t1
	lacks=$(missing_products "$tmp")
	[ -z "$lacks" ] || die "kernel ($variant) build did not produce: $(echo $lacks); log: $tmp/build.log"
	t1=$(date +%s)
	echo "$((t1 - t0))" >"$tmp/build-seconds"
	touch "$tmp/.done"
	rm -rf "$out"
	mv "$tmp" "$out"
	log "kernel ($variant) built in $((t1 - t0)) s: $out"
	echo "$out"
	exit 0
}

if [ -n "$bug" ]; then
	base=$("$0" | tail -n 1) || die "the patched kernel, the base of --bug $bug, did not build"
	log "copying the patched tree for the $bug variant"
	cp -a "$base/linux" "$tmp/linux"
	(cd "$tmp/linux" && git apply --whitespace=error-all "$top/tests/kernel-bugs/$bug.patch") ||
		die "tests/kernel-bugs/$bug.patch does not apply"
	log "building kernel ($variant) incrementally; log in $tmp/build.log"
	make -C "$tmp/linux" -j"$(nproc)" bzImage vmlinux modules >"$tmp/build.log" 2>&1 ||
		{ tail -n 40 "$tmp/build.log" >&2; die "kernel build failed; full log: $tmp/build.log"; }
	finish
fi

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
	# An explicit OUTPUT: lib.mk leaves it empty when MAKELEVEL > 0 (we
	# run under the project's make), and would install the binary as /.
	if ! env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make -C "$src/tools/testing/selftests/vfio" \
		OUTPUT="$src/tools/testing/selftests/vfio" \
		KHDR_INCLUDES="-isystem $src/usr/include" >>"$tmp/build.log" 2>&1; then
		tail -n 40 "$tmp/build.log" >&2
		die "kselftest build failed; full log: $tmp/build.log"
	fi
fi

finish
