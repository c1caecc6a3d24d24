# Shared helpers for vfiopm scripts: sourced, not run.
# shellcheck shell=bash

: "${VFIOPM_CACHE:=/var/cache/vfiopm}"
export VFIOPM_CACHE

log() { printf 'vfiopm: %s\n' "$*" >&2; }
warn() { printf 'vfiopm: warning: %s\n' "$*" >&2; }
die() {
	printf 'vfiopm: error: %s\n' "$*" >&2
	exit 1
}
