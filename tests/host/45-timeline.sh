#!/usr/bin/env bash
# Host tier: vfiopm-check --timeline. From the golden logs (every format):
# the page parses, is self-contained, has a lane per device, markers for
# exactly the log's low-power entries, exits and wake signals, bands over
# each device's whole span, the blind-spot note where the log does not name
# D-states (and not where it does), finding markers only where there are
# findings; a doctored page must fail those checks. A big log stays a small
# page, in a time reported here. Headless Chromium renders a page to a PNG
# that must not be blank (a blank page's must: the control); the PNG is
# kept in tests/logs.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

tool=$top/tools/vfiopm-check/vfiopm-check
make -s -C "$top/tools/vfiopm-check" >/dev/null || { not_ok "vfiopm-check builds"; exit 1; }
g=$top/tests/data/vfiopm-check/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "kselftest.balanced.jsonl --named --flags 0" "kselftest.balanced.trace --unnamed --flags 0" \
	"kselftest.balanced.perf --unnamed" "kselftest.balanced.tcreport --unnamed" \
	"stress.balanced.trace --unnamed --flags 0" "fault-leak.imbalance.jsonl --flags 1"; do
	set -- $spec
	log=$1
	shift
	"$tool" -q --timeline "$tmp/$log.html" "$g/$log"
	python3 "$top/tests/timeline-check.py" "$tmp/$log.html" "$g/$log" "$@" | sed "s|^\(\(not \)\{0,1\}ok - \)|\1$log: |" >"$tmp/$log.tap"
	cat "$tmp/$log.tap"
	grep -q '^not ok' "$tmp/$log.tap" && tap_failed=1
done
# controls: a page with one marker less, and the named-state checks turned around
sed '0,/<circle class="mark entry"/{/<circle class="mark entry"/d}' "$tmp/kselftest.balanced.jsonl.html" >"$tmp/doctored.html"
check "timeline: a page missing one entry marker fails the check (control)" \
	sh -c "python3 '$top/tests/timeline-check.py' '$tmp/doctored.html' '$g/kselftest.balanced.jsonl' | grep -q '^not ok.*markers stand for'"
check "timeline: an ftrace page checked as naming D-states fails (control)" \
	sh -c "! python3 '$top/tests/timeline-check.py' '$tmp/stress.balanced.trace.html' '$g/stress.balanced.trace' --named >/dev/null"

# a big log: the stress log laid end to end, each copy after the last
python3 - "$g/stress.balanced.trace" "$tmp/big.trace" 40 <<'PY'
import re, sys
src, dst, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l for l in open(src) if not l.startswith("#")]
ts = [float(m.group(1)) for l in lines for m in [re.search(r" (\d+\.\d+): ", l)] if m]
span = max(ts) - min(ts) + 0.01
with open(dst, "w") as f:
    k = 0
    while f.tell() < mib << 20:
        off = k * span
        f.write("".join(re.sub(r" (\d+\.\d+): ", lambda m: f" {float(m.group(1)) + off:.6f}: ", l, count=1)
                        for l in lines))
        k += 1
PY
start=$(date +%s.%N)
/usr/bin/time -o "$tmp/time" -f '%M' "$tool" -q --timeline "$tmp/big.html" "$tmp/big.trace"
end=$(date +%s.%N)
rss=$(tail -n 1 "$tmp/time")
mib=$(($(stat -c %s "$tmp/big.trace") >> 20))
kib=$(($(stat -c %s "$tmp/big.html") >> 10))
secs=$(echo "$end - $start" | bc)
check "timeline: a ${mib} MiB log gives a ${kib} KiB page (<= 4096) in $(printf %.2f "$secs") s, ${rss} KiB RSS (<= 32 MiB)" \
	sh -c "test $kib -le 4096 && test $rss -le 32768 && grep -q 'what falls within one is merged' '$tmp/big.html'"
python3 "$top/tests/timeline-check.py" "$tmp/big.html" "$tmp/big.trace" --unnamed | sed 's/^\(\(not \)\{0,1\}ok - \)/\1big log: /' | tee "$tmp/big.tap"
grep -q '^not ok' "$tmp/big.tap" && tap_failed=1

# rendered by a real browser
if ! command -v chromium >/dev/null; then
	not_ok "chromium is installed (package chromium)"
	exit 1
fi
shot() {	# shot HTML PNG
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size=1400,760 --screenshot="$2" "file://$1" >"$tmp/chromium.log" 2>&1
}
shot "$tmp/kselftest.balanced.jsonl.html" "$tmp/timeline.png"
out=$(python3 "$top/tests/png-check.py" "$tmp/timeline.png")
check "timeline: Chromium renders it, not blank ($out)" test $? = 0
cp "$tmp/timeline.png" "$top/tests/logs/timeline-kselftest.png" 2>/dev/null
printf '<!DOCTYPE html><html><body></body></html>\n' >"$tmp/blank.html"
shot "$tmp/blank.html" "$tmp/blank.png"
check "timeline: an empty page's render is judged blank (control)" \
	sh -c "python3 '$top/tests/png-check.py' '$tmp/blank.png'; test \$? = 1"
exit $tap_failed
