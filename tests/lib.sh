# TAP helpers for test tier scripts: sourced, not run.
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/scripts/lib.sh"
mkdir -p "$top/tests/logs"	# run.sh makes it too; a tier also runs alone

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
# require_trace_tools: vfiopm-trace and vfio-lowpower built for the guest, or
# the tier ends.
require_trace_tools() {
	make -s -C "$top/tools/vfiopm-trace" >/dev/null && make -s -C "$top/tools/vfio-lowpower" >/dev/null ||
		{ not_ok "vfiopm-trace builds"; exit 1; }
}
# vm_run OUT KERNEL [vm-run.sh options] -- CMD...: run CMD in the test VM with
# the tier's default timeout (a later --timeout overrides it), results in OUT;
# sets $rc to the command's exit status and says where the results are.
vm_run() {
	local out=$1 kernel=$2
	shift 2
	"$top/scripts/vm-run.sh" --kernel "$kernel" --timeout "${VFIOPM_VM_TIMEOUT:-600}" \
		--out "$out" "$@" >/dev/null
	rc=$?
	echo "# VM run: exit $rc in $(cat "$out/vm-seconds" 2>/dev/null) s; results in $out"
}
# vm_require_ran: end the tier when the last vm_run timed out or never ran.
vm_require_ran() {
	case $rc in
	124) not_ok "VM run finished in time"; exit 1 ;;
	125) not_ok "VM booted and ran the test"; exit 1 ;;
	esac
}
