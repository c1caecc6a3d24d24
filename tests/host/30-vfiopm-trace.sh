#!/usr/bin/env bash
# Host tier for vfiopm-trace: it builds warning-free, its userspace unit tests
# pass, every BPF program loads and passes the verifier on the running kernel
# (SKIP with the kernel's reason where its target does not exist here), and
# bad environments and arguments give one clear line and the documented exit.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

d=$top/tools/vfiopm-trace
tool=$d/vfiopm-trace
if make -s -C "$d" >"$top/tests/logs/vfiopm-trace-build.log" 2>&1; then
	ok "vfiopm-trace builds (BPF object, skeleton, loader; -Wall -Wextra -Werror)"
else
	sed 's/^/# /' "$top/tests/logs/vfiopm-trace-build.log" | tail -20
	not_ok "vfiopm-trace builds"
	exit 1
fi

# cmocka prints "[       OK ] name" / "[  FAILED  ] name" per case
unit=$(make -s -C "$d" test 2>&1)
urc=$?
echo "$unit" | sed -nE 's/^\[ +OK +\] (.*)/ok - unit: \1/p; s/^\[ +FAILED +\] ([a-z_].*)/not ok - unit: \1/p' | sort -u
echo "$unit" | grep -qE '^\[ +FAILED +\] [a-z_]' && tap_failed=1
check "unit tests exit 0" test "$urc" = 0

if [ "$(id -u)" = 0 ]; then
	"$tool" --verify >"$top/tests/logs/vfiopm-trace-verify.txt" 2>&1
	vrc=$?
	grep -E '^(not )?ok - ' "$top/tests/logs/vfiopm-trace-verify.txt"
	grep -q '^not ok' "$top/tests/logs/vfiopm-trace-verify.txt" && tap_failed=1
	n_loaded=$(grep -E '^ok - ' "$top/tests/logs/vfiopm-trace-verify.txt" | grep -vc '# SKIP')
	check "--verify exit 0, $n_loaded programs loaded on $(uname -r)" test "$vrc" = 0 -a "$n_loaded" -gt 0
else
	skip "BPF programs pass the verifier" "needs root"
fi

# The same programs load, or are refused with the kernel's reason, whatever
# the host has mounted: a fresh host has no tracefs, and this run may be
# inside a namespace that has one.
# verify_in_ns SETUP [WRAPPER]: --verify in a private mount namespace after
# the shell commands SETUP, run through WRAPPER (e.g. setpriv) if given.
verify_in_ns() {
	unshare -m sh -c "$1; exec ${2:-} '$tool' --verify" 2>&1
}
verdicts() { grep -E '^(not )?ok - ' | sed 's/ # SKIP.*/ # SKIP/' | sort; }
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	unmount_all='umount /sys/kernel/tracing /sys/kernel/debug/tracing /sys/kernel/debug 2>/dev/null; true'
	with=$(verify_in_ns "$unmount_all; mount -t tracefs nodev /sys/kernel/tracing")
	without=$(verify_in_ns "$unmount_all")
	echo "$without" >"$top/tests/logs/vfiopm-trace-verify-no-tracefs.txt"
	check "no tracefs: --verify mounts it and says so" \
		grep -q '^# vfiopm-trace: mounted tracefs at /sys/kernel/tracing' <<<"$without"
	check "no tracefs: same verdicts as with tracefs mounted" \
		test "$(verdicts <<<"$without")" = "$(verdicts <<<"$with")"
	if command -v setpriv >/dev/null; then
		# root without CAP_SYS_ADMIN cannot mount: each fentry/fexit program
		# gets a trial load, and a refusal is a SKIP with the kernel's errno
		nomount=$(verify_in_ns "$unmount_all" \
			"setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin")
		echo "$nomount" >"$top/tests/logs/vfiopm-trace-verify-no-mount.txt"
		check "tracefs not mountable: no libbpf noise, no failure" \
			test -z "$(grep -E '^(libbpf|not ok)' <<<"$nomount")"
		check "tracefs not mountable: same programs loaded as with tracefs" \
			test "$(verdicts <<<"$nomount" | grep -v SKIP)" = "$(verdicts <<<"$with" | grep -v SKIP)"
		if grep -q 'SKIP.*refused' <<<"$nomount"; then
			check "tracefs not mountable: a refusal names the errno and why tracefs is missing" \
				grep -qE 'refused the fentry/fexit program \([^)]+\); tracefs not mounted, and mounting it needs CAP_SYS_ADMIN' <<<"$nomount"
		fi
	else
		skip "tracefs not mountable" "no setpriv"
	fi
else
	skip "--verify without tracefs" "needs root and a private mount namespace"
fi

# expect NAME RC PATTERN CMD...: exit status and a one-line message on stderr
expect() {
	local name=$1 want=$2 pat=$3 err rc
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$err"; then
		ok "$name (exit $rc)"
	else
		not_ok "$name: exit $rc, wanted $want; stderr: $(head -c 300 <<<"$err")"
	fi
}
expect "bad BDF is a usage error" 64 "want DDDD:BB:DD.F" "$tool" -d 0000:00:zz.0
expect "unknown option is a usage error" 64 "unrecognized option" "$tool" --bogus
expect "bad interval is a usage error" 64 "invalid number" "$tool" -i 0
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null; then
		expect "not root: names what is missing" 2 "needs root, or CAP_BPF and CAP_PERFMON" \
			setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$tool"
	else
		skip "not root: names what is missing" "no setpriv"
	fi
	if unshare -m true 2>/dev/null; then
		expect "no kernel BTF: says so" 2 "kernel has no BTF" \
			unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf && exec '$tool'"
	else
		skip "no kernel BTF: says so" "cannot unshare a mount namespace here"
	fi
	if [ -d /sys/bus/pci/drivers/vfio-pci ]; then
		skip "kernel without vfio: exit 2" "this kernel has vfio-pci (the VM tier covers the rest)"
	else
		expect "kernel without vfio: says so" 2 "kernel has no vfio-pci" "$tool"
	fi
else
	skip "environment errors" "needs root"
fi
exit $tap_failed
