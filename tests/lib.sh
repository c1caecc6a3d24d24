# TAP helpers for test tier scripts: sourced, not run.
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/scripts/lib.sh"

tap_failed=0
ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	tap_failed=1
}
skip() { echo "ok - $1 # SKIP $2"; }
# check NAME COMMAND...: one TAP line from a command's exit status.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# Re-emit a kselftest TAP stream as our result lines, prefixed with $1.
kselftest_tap() {
	local prefix=$1 file=$2
	sed -nE "s/^ok [0-9]+ (.*)/ok - $prefix \1/p; s/^not ok [0-9]+ (.*)/not ok - $prefix \1/p" "$file"
	grep -qE '^not ok [0-9]+ ' "$file" && tap_failed=1
	return 0
}
# vm_tier NAME: end the tier unless root (9p with security_model=none) and
# QEMU are there: a SKIP with the reason on a developer machine, a failure
# under CI (CI=true), which can run every tier and must.
vm_tier() {
	local missing=
	[ "$(id -u)" = 0 ] || missing=root
	command -v qemu-system-x86_64 >/dev/null || missing="${missing:+$missing }qemu-system-x86_64"
	[ -z "$missing" ] && return 0
	if [ -n "${CI:-}" ]; then
		not_ok "$1: needs $missing"
		exit 1
	fi
	skip "$1" "needs $missing"
	exit 0
}
# test_kernel [--unpatched]: the cached test kernel's build directory, built
# first if needed; fails if it cannot be built.
test_kernel() {
	local dir
	dir=$("$top/scripts/build-kernel.sh" "$@" | tail -n 1) && [ -f "$dir/.done" ] && echo "$dir"
}
