#!/usr/bin/env bash
# Install the Debian packages vfiopm uses, only those missing. Idempotent:
# a second run installs nothing and prints one line. Needs root (or sudo).
#
#   scripts/install-deps.sh [--check]    --check: list what is missing, exit 1 if any
set -euo pipefail

packages=(
	# tools and BPF programs
	build-essential clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
	# unit tests, sanitizer and libFuzzer runtimes
	libcmocka-dev libclang-rt-14-dev
	# test kernel: source, build tools, BTF
	linux-source-6.12 bc bison flex libssl-dev dwarves xz-utils cpio python3 python3-ply
	# test VM, and the SSDT of its D3cold slot
	qemu-system-x86 busybox-static acpica-tools
	# tracing front ends used by tests and recipes
	bpftrace linux-perf trace-cmd
	# stock kernels for the fallback matrix
	kmod
	# metrics: promtool's lint and a real scrape (node_exporter, Prometheus)
	prometheus prometheus-node-exporter
	# the timeline rendered for real (headless)
	chromium fonts-liberation
)

missing=()
for p in "${packages[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ "${1:-}" = --check ]; then
	[ ${#missing[@]} -eq 0 ] && { echo "vfiopm: all dependencies installed"; exit 0; }
	echo "vfiopm: missing: ${missing[*]}"
	exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
	echo "vfiopm: all dependencies installed" >&2
	exit 0
fi

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "vfiopm: error: need root to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "vfiopm: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "vfiopm: installed ${#missing[@]} packages" >&2
