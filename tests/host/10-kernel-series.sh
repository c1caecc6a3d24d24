#!/usr/bin/env bash
# Host tier: the kernel series applies to a fresh extract of Debian's
# linux-source-6.12, in order, and every patch is clean under that tree's
# scripts/checkpatch.pl --strict (0 errors, 0 warnings) and carries a
# Signed-off-by.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -r "$tarball" ] || { not_ok "kernel series: $tarball missing (run scripts/install-deps.sh)"; exit 1; }

work=$(mktemp -d /tmp/vfiopm-series.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -xf "$tarball" -C "$work"
src=$work/linux-source-6.12

mapfile -t patches < <(grep -vE '^(#|$)' "$top/kernel/patches/series")
check "series lists patches" test ${#patches[@]} -gt 0
for p in "${patches[@]}"; do
	f=$top/kernel/patches/$p
	if (cd "$src" && git apply --whitespace=error-all "$f" 2>"$work/apply.err"); then
		ok "applies: $p"
	else
		not_ok "applies: $p: $(head -n 3 "$work/apply.err")"
		continue
	fi
	# spdxcheck.py needs python3-ply from Debian's python3.
	PATH=/usr/bin:$PATH "$src/scripts/checkpatch.pl" --strict "$f" >"$work/cp.out" 2>/dev/null
	summary=$(grep -E '^total:' "$work/cp.out")
	errors=$(sed -nE 's/^total: ([0-9]+) errors.*/\1/p' <<<"$summary")
	warnings=$(sed -nE 's/.* ([0-9]+) warnings.*/\1/p' <<<"$summary")
	checks=$(sed -nE 's/.* ([0-9]+) checks.*/\1/p' <<<"$summary")
	if [ "$errors" = 0 ] && [ "$warnings" = 0 ]; then
		ok "checkpatch --strict: $p (0 errors, 0 warnings, ${checks:-0} checks)"
	else
		not_ok "checkpatch --strict: $p: $summary"
		grep -E '^(ERROR|WARNING)' "$work/cp.out" | head -n 5 | sed 's/^/# /'
	fi
	check "signed off: $p" grep -q '^Signed-off-by: .* <.*@.*>$' "$f"
done
# The series must really touch what the contract says it adds.
check "series replaces the NVLink2 events in drivers/vfio/pci/trace.h" \
	bash -c "! grep -q nvgpu '$src/drivers/vfio/pci/trace.h'"
check "vfio and vfio-pci-core each have one CREATE_TRACE_POINTS unit" \
	test "$(grep -l CREATE_TRACE_POINTS "$src"/drivers/vfio/*.c "$src"/drivers/vfio/pci/*.c | wc -l)" = 2
exit $tap_failed
