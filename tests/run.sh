#!/usr/bin/env bash
# Run every test tier and print one closing line: "N passed, N failed, N skipped".
#
#   tests/run.sh [TIER...]      tiers: host vm (default: all, in that order)
#
# A tier is a directory tests/TIER/ of executable *.sh scripts. Each script
# prints TAP result lines ("ok - name", "not ok - name", "ok - name # SKIP why")
# and anything else it likes; only the result lines are counted. A script that
# exits non-zero without printing a "not ok" line counts as one failure, so a
# crashed or timed-out script can never pass silently. Each script is bounded
# by VFIOPM_TEST_TIMEOUT seconds (default 1800).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(host vm)
timeout_s=${VFIOPM_TEST_TIMEOUT:-1800}
logdir=${VFIOPM_TEST_LOGS:-$top/tests/logs}
mkdir -p "$logdir"

passed=0 failed=0 skipped=0
failures=()
t_start=$(date +%s)

for tier in "${tiers[@]}"; do
	[ -d "$top/tests/$tier" ] || { echo "no such tier: $tier" >&2; exit 64; }
	for script in "$top/tests/$tier"/*.sh; do
		[ -x "$script" ] || continue
		name="$tier/$(basename "$script" .sh)"
		log="$logdir/${name//\//-}.log"
		echo "=== $name"
		t0=$(date +%s)
		timeout --kill-after=30 "$timeout_s" "$script" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
		t1=$(date +%s)
		p=$(grep -cE '^ok( [0-9]+)? - .*' "$log" | tr -d ' ')
		s=$(grep -cE '^ok( [0-9]+)? - .*# SKIP' "$log" | tr -d ' ')
		f=$(grep -cE '^not ok( [0-9]+)? - ' "$log" | tr -d ' ')
		p=$((p - s))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			if [ "$rc" -eq 124 ]; then
				echo "not ok - $name: timed out after ${timeout_s}s" | tee -a "$log"
			else
				echo "not ok - $name: exited $rc" | tee -a "$log"
			fi
			f=1
		fi
		while IFS= read -r l; do failures+=("$name: ${l#not ok }"); done \
			< <(grep -E '^not ok( [0-9]+)? - ' "$log")
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
		echo "=== $name: $p passed, $f failed, $s skipped in $((t1 - t0)) s"
	done
done

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "Total time $(($(date +%s) - t_start)) s; logs in $logdir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
