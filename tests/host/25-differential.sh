#!/usr/bin/env bash
# Host tier: the differential test of the two balance cores. Every log under
# tests/data goes through vfiopm-check and through vfiopm-trace's BPF core
# run on the host (tests/differential/replay); where the shared rules decide
# the verdict, both must give the same one. The stress tier runs the same on
# its logs.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

make -s -C "$top/tests/differential" replay || { not_ok "the differential replay builds"; exit 1; }
replay=$top/tests/differential/replay
mapfile -t logs < <(find "$top/tests/data" -type f -name '*.*.*' ! -path '*/expect/*' ! -name '*.py' | sort)
# fewer compared logs than this means the comparison silently lost its cases
"$replay" --min 25 "${logs[@]}" | sed "s|$top/||" || tap_failed=1
check "differential control: with the core's verdicts inverted, the comparison fails" \
	sh -c "! '$replay' --invert-core ${logs[*]} >/dev/null"
exit $tap_failed
