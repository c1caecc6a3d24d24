#!/usr/bin/env bash
# Boot a kernel under QEMU (software emulation), run one command in it, return.
#
#   scripts/vm-run.sh --kernel BZIMAGE [options] -- COMMAND [ARGS...]
#
# The guest is a q35 machine with one e1000e, bound to vfio-pci (no-IOMMU mode on
# the test kernel, a real emulated IOMMU with --iommu). Its root is the host's
# root, shared read-only over virtio-9p; the project tree is at the same path as
# on the host and is the working directory. The command runs as root with
#   VFIOPM_BDF   the vfio-pci device (e.g. 0000:00:02.0), VFIOPM_BDFS all of them
#   VFIOPM_OUT   a writable directory whose files come back to the host (--out)
# Its output is streamed to stdout (and saved as OUT/output), the serial console
# goes to OUT/console.log, and the exit status of vm-run.sh is the command's.
#
# Options:
#   --kernel FILE     bzImage to boot (required)
#   --timeout SECS    hard limit for the whole VM run (default 300): the VM is
#                     killed and vm-run.sh exits 124 when it is reached, after
#                     saving where the guest was stuck in OUT/hang.txt (vCPU
#                     positions, every task's stack: scripts/vm/hang-report.py)
#   --out DIR         results directory (default: a new temporary directory,
#                     printed on stderr)
#   --modules DIR     .ko files and a load.list (one file name per line, in load
#                     order) to insmod before mounting the root (stock kernels)
#   --iommu           add an emulated Intel IOMMU (stock kernels: no noiommu)
#   --d3cold          give the device's slot power resources (_PR0/_PR3, the SSDT
#                     scripts/vm/d3cold.asl, compiled with iasl), so that the
#                     idle device goes to D3cold; without it, D3hot is the deepest
#   --root-port       put the device behind a PCIe root port (00:1c.0, bus 01),
#                     the shape of a GPU slot; with --d3cold the power resources
#                     are the port's (scripts/vm/d3cold-port.asl), as on laptops
#   --append ARGS     extra kernel command line
#   --mem MB          guest memory (default 1024)
#   --smp N           guest CPUs (default 2)
#   --console         stream the serial console (boot messages) instead of
#                     just the command's output
#
# The guest's CPUs run in one host thread (-accel tcg,thread=single):
# multi-threaded TCG froze or crashed the guest within minutes under the
# low-power workload plus 9p reads (docs/testing.md). VFIOPM_TCG_THREAD=multi
# brings it back for experiments.
#
# Exit status: the command's; 124 VM timed out; 125 the VM ended without
# running the command (boot failure: see OUT/console.log); 2 usage error.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

usage() { sed -n '2,44p' "$0" | sed 's/^# \{0,1\}//'; }
kernel= timeout_s=300 out= modules= iommu=0 d3cold=0 root_port=0 append= mem=1024 smp=2 console=0 tcg_thread=${VFIOPM_TCG_THREAD:-single}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=${2:?}; shift ;;
	--timeout) timeout_s=${2:?}; shift ;;
	--out) out=${2:?}; shift ;;
	--modules) modules=${2:?}; shift ;;
	--iommu) iommu=1 ;;
	--d3cold) d3cold=1 ;;
	--root-port) root_port=1 ;;
	--append) append=${2:?}; shift ;;
	--mem) mem=${2:?}; shift ;;
	--smp) smp=${2:?}; shift ;;
	--console) console=1 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; echo "vfiopm: error: unknown option: $1" >&2; exit 2 ;;
	esac
	shift
done
[ $# -gt 0 ] || { usage >&2; echo "vfiopm: error: no command given" >&2; exit 2; }
[ -n "$kernel" ] || { echo "vfiopm: error: --kernel is required" >&2; exit 2; }
[ -r "$kernel" ] || { echo "vfiopm: error: kernel image not found: $kernel (build it with scripts/build-kernel.sh)" >&2; exit 2; }
[[ $timeout_s =~ ^[0-9]+$ ]] || { echo "vfiopm: error: --timeout wants seconds, got '$timeout_s'" >&2; exit 2; }
qemu=$(command -v qemu-system-x86_64) ||
	{ echo "vfiopm: error: qemu-system-x86_64 not found: run scripts/install-deps.sh (package qemu-system-x86)" >&2; exit 2; }
busybox=/bin/busybox
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || busybox=/usr/bin/busybox
[ -x "$busybox" ] || { echo "vfiopm: error: static busybox not found: run scripts/install-deps.sh (package busybox-static)" >&2; exit 2; }

if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/vfiopm-vm.XXXXXX)
	log "results in $out"
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/rc" "$out/output" "$out/console.log" "$out/timed-out" "$out/hang.txt"
monitor=$(mktemp -u /tmp/vfiopm-monitor.XXXXXX)

# The initramfs holds only busybox, the init script and optional modules; it
# is rebuilt when any of them changes.
initramfs_key=$( { cat "$top/scripts/vm/init" "$busybox"; [ -z "$modules" ] || cat "$modules"/*; } | sha256sum | cut -c1-16)
initramfs="$VFIOPM_CACHE/initramfs-$initramfs_key.cpio.gz"
if [ ! -f "$initramfs" ]; then
	mkdir -p "$VFIOPM_CACHE"
	staging=$(mktemp -d)
	mkdir -p "$staging"/{bin,dev,proc,sys,newroot}
	cp "$busybox" "$staging/bin/busybox"
	install -m 0755 "$top/scripts/vm/init" "$staging/init"
	if [ -n "$modules" ]; then
		mkdir -p "$staging/modules"
		cp "$modules"/* "$staging/modules/"
	fi
	(cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) >"$initramfs.tmp"
	mv "$initramfs.tmp" "$initramfs"
	rm -rf "$staging"
fi

# The command runs from the results share, under the guest's /bin/sh (dash):
# quote each argument POSIX-style ('...' with ' as '\'') so it survives.
{
	printf '#!/bin/sh\n'
	for arg in "$@"; do
		printf "'%s' " "${arg//\'/\'\\\'\'}"
	done
	printf '\n'
} >"$out/cmd.sh"
printf '%s\n' "$top" >"$out/project-dir"
# The cache holds what guests run (the kselftest, the fault module); under
# /tmp, as in a cold-path run, the guest's tmpfs would hide it.
printf '%s\n' "$VFIOPM_CACHE" >"$out/cache-dir"

# unknown_nmi_panic and panic_print: an NMI from the monitor makes a stuck
# guest print every task's stack, memory use and every CPU's backtrace
# (hang-report.py); nokaslr so that a stock kernel's System.map matches those addresses.
cmdline="console=ttyS0 panic=-1 quiet loglevel=4 vfio.enable_unsafe_noiommu_mode=1"
cmdline="$cmdline unknown_nmi_panic panic_print=0x43 nokaslr"
[ "$iommu" = 1 ] && cmdline="$cmdline intel_iommu=on"
cmdline="$cmdline $append"
qemu_args=(-M q35 -accel "tcg,thread=$tcg_thread" -m "$mem" -smp "$smp" -no-reboot -display none -vga none
	-monitor "unix:$monitor,server=on,wait=off" -serial stdio
	-kernel "$kernel" -initrd "$initramfs" -append "$cmdline"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$top,mount_tag=project,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=vfiopmout,security_model=none,multidevs=remap"
	-virtfs "local,path=$VFIOPM_CACHE,mount_tag=cache,security_model=none,readonly=on,multidevs=remap"
	-netdev user,id=n0,restrict=on)
if [ "$root_port" = 1 ]; then
	# hotplug=off: the kernel keeps a hotplug port it does not drive
	# natively out of D3. QEMU's ACPI hotplug of bridges off: under it the
	# port never reports its link active, and the kernel gives up on the
	# device when the port powers up again from D3cold. The firmware date:
	# only ports of 2015 or later may enter D3.
	qemu_args+=(-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
		-device pcie-root-port,id=rp0,bus=pcie.0,addr=0x1c,chassis=1,hotplug=off
		-device e1000e,netdev=n0,bus=rp0,addr=0x0 -smbios type=0,date=01/01/2024)
else
	qemu_args+=(-device e1000e,netdev=n0,addr=0x5)
fi
[ "$iommu" = 0 ] || qemu_args=(-device intel-iommu "${qemu_args[@]}")
if [ "$d3cold" = 1 ]; then
	# compiled once per source into the cache; the SSDTs name slot 5 and
	# port 00:1c.0, the addresses given above
	asl=$top/scripts/vm/d3cold.asl
	[ "$root_port" = 0 ] || asl=$top/scripts/vm/d3cold-port.asl
	name=$(basename "$asl" .asl)
	aml=$VFIOPM_CACHE/$name-$(sha256sum "$asl" | cut -c1-16).aml
	if [ ! -s "$aml" ]; then
		command -v iasl >/dev/null ||
			{ echo "vfiopm: error: iasl not found: run scripts/install-deps.sh (package acpica-tools)" >&2; exit 2; }
		mkdir -p "$VFIOPM_CACHE"
		iasl -p "$out/$name" "$asl" >"$out/iasl.log" 2>&1 && mv "$out/$name.aml" "$aml" ||
			{ echo "vfiopm: error: $asl does not compile: $out/iasl.log" >&2; exit 2; }
	fi
	qemu_args+=(-acpitable "file=$aml")
fi

t0=$(date +%s.%N)
set +e
if [ "$console" = 1 ]; then
	"$qemu" "${qemu_args[@]}" </dev/null > >(tee "$out/console.log") 2>&1 &
else
	"$qemu" "${qemu_args[@]}" </dev/null >"$out/console.log" 2>&1 &
fi
qpid=$!
# The time limit: at the deadline, record where the guest is stuck (OUT/hang.txt)
# before killing QEMU. One-second sleeps, so nothing outlives the VM for long.
(
	qemu_exits_within() {
		for ((i = 0; i < $1; i++)); do
			kill -0 $qpid 2>/dev/null || return 0
			sleep 1
		done
		return 1
	}
	qemu_exits_within "$timeout_s" && exit 0
	: >"$out/timed-out"
	# Symbols: next to a built tree's bzImage, or in a stock kernel's package.
	sysmap=$(ls "$(dirname "$kernel")/../../../System.map" "$(dirname "$kernel")"/root/boot/System.map-* 2>/dev/null | head -n 1)
	timeout 120 python3 "$top/scripts/vm/hang-report.py" "$monitor" "$out/console.log" $sysmap >"$out/hang.txt" 2>&1
	kill -TERM $qpid 2>/dev/null
	qemu_exits_within 10 || kill -KILL $qpid 2>/dev/null
) &
wpid=$!
trap 'kill -KILL $qpid $wpid 2>/dev/null || true; rm -f "$monitor"' EXIT
trap 'exit 143' TERM INT
if [ "$console" = 0 ]; then
	# Stream only what the command prints, not the boot messages: follow the
	# output file while QEMU runs.
	tail --pid=$qpid -s 0.2 -n +1 -F "$out/output" 2>/dev/null &
	tpid=$!
fi
wait $qpid
qrc=$?
# past the deadline the watchdog is still writing the report: let it finish
[ -e "$out/timed-out" ] || kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
[ "$console" = 1 ] || wait $tpid 2>/dev/null
[ -e "$out/timed-out" ] && qrc=124
set -e
t1=$(date +%s.%N)
elapsed=$(echo "$t1 - $t0" | bc)
echo "$elapsed" >"$out/vm-seconds"

if [ "$qrc" = 124 ]; then
	echo "vfiopm: error: VM timed out after ${timeout_s}s and was killed; where it was stuck: $out/hang.txt; vCPUs and console before the NMI:" >&2
	sed -n '/^== where each vCPU/,/^== guest console/p' "$out/hang.txt" | sed '$d' >&2
	sed '/NMI received for unknown reason/,$d' "$out/console.log" | tail -n 20 >&2
	exit 124
fi
if [ ! -s "$out/rc" ]; then
	echo "vfiopm: error: VM ended (qemu exit $qrc) without running the command; last console lines:" >&2
	tail -n 30 "$out/console.log" >&2
	exit 125
fi
rc=$(cat "$out/rc")
log "VM ran ${elapsed%.*} s, command exited $rc"
exit "$rc"
