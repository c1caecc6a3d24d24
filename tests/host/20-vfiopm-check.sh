#!/usr/bin/env bash
# shellcheck disable=SC2016  # the eval'd checks below expand when they run
# vfiopm-check host tests: build, unit tests (plain and ASan/UBSan), the CLI over
# the crafted logs in tests/data/vfiopm-check/ (every *.balanced.* log there,
# golden ones included, must exit 0), report formats, exit codes, streaming
# memory, and a bounded libFuzzer run. One TAP line per check. No root needed.
#
#   VFIOPM_FUZZ_SECONDS=60   fuzzing time (0 skips the fuzzer)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
src=$top/tools/vfiopm-check
data=$top/tests/data/vfiopm-check
tool=$src/vfiopm-check
fuzz_s=${VFIOPM_FUZZ_SECONDS:-60}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfiopm-check-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - vfiopm-check: $*"; }
nok() { echo "not ok - vfiopm-check: $*"; }
check() {	# check NAME CMD...: ok if CMD succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
# run_tool OUT ARGS...: run the CLI, stdout to OUT, stderr to OUT.err; sets rc
run_tool() {
	local out=$1
	shift
	"$tool" "$@" >"$out" 2>"$out.err"
	rc=$?
}
want_of() {	# expected exit code from NAME.EXPECT.EXT
	case $(basename "$1" | awk -F. '{ print $(NF - 1) }') in
	balanced) echo 0 ;;
	imbalance) echo 1 ;;
	inconclusive) echo 2 ;;
	usage) echo 64 ;;
	*) echo unknown ;;
	esac
}

# ---- build
if make -s -C "$src" all >"$tmp/build.log" 2>&1 && [ -x "$tool" ]; then
	ok "builds with -Wall -Wextra -Werror"
else
	nok "builds with -Wall -Wextra -Werror"
	sed 's/^/# /' "$tmp/build.log"
	exit 1
fi

# ---- unit tests, plain and sanitized
for t in test_parse test_balance test_input; do
	for v in "" san-; do
		name="unit tests ${v:+(ASan/UBSan) }$t"
		if make -s -C "$src" "build/$v$t" >"$tmp/u.log" 2>&1 &&
			VFIOPM_TEST_DATA=$data ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			"$src/build/$v$t" >>"$tmp/u.log" 2>&1; then
			n=$(grep -oE 'PASSED  \] [0-9]+' "$tmp/u.log" | grep -oE '[0-9]+$')
			ok "$name: ${n:-?} passed"
		else
			nok "$name"
			grep -E 'ERROR|FAILED|LINE|runtime error|Sanitizer' "$tmp/u.log" | head -20 | sed 's/^/# /'
		fi
	done
done

# ---- every crafted (and golden) log: exit code and report content
nbalanced=0
while IFS= read -r f; do
	rel=${f#"$data"/}
	want=$(want_of "$f")
	[ "$want" = unknown ] && continue
	[ "$want" = 0 ] && nbalanced=$((nbalanced + 1))
	run_tool "$tmp/out" "$f"
	missing=()
	if [ -f "$data/expect/$rel.grep" ]; then
		while IFS= read -r re; do
			[ -n "$re" ] && ! grep -qE -- "$re" "$tmp/out" && missing+=("$re")
		done <"$data/expect/$rel.grep"
	fi
	if [ "$rc" = "$want" ] && [ ${#missing[@]} -eq 0 ]; then
		ok "$rel exits $want"
	else
		nok "$rel exits $want (got $rc)"
		for re in "${missing[@]}"; do echo "#   report lacks: $re"; done
		sed 's/^/#   /' "$tmp/out" "$tmp/out.err" | head -30
	fi
done < <(find "$data" -type f -name '*.*.*' ! -path '*/expect/*' ! -name '*.py' | sort)
check "found balanced logs to assert ($nbalanced)" test "$nbalanced" -gt 0

# ---- golden logs from the VM (scripts/capture-golden-logs.sh), doctored: one
# region_rw put removed must turn each of them into an imbalance.
for f in "$data"/golden/*.balanced.*; do
	[ -f "$f" ] || continue
	n=$(grep -nE 'op=put reason=region_rw|"op":"put","reason":"region_rw"' "$f" | head -n 1 | cut -d: -f1)
	if [ -z "$n" ]; then
		nok "golden/${f##*/}: has a region_rw put to remove"
		continue
	fi
	sed "${n}d" "$f" >"$tmp/doctored.${f##*.}"
	run_tool "$tmp/out" "$tmp/doctored.${f##*.}"
	check "golden/${f##*/} with one put removed exits 1 (got $rc)" test "$rc" = 1
done

# ---- the crafted logs under ASan/UBSan, through the CLI
if make -s -C "$src" build/san-vfiopm-check >"$tmp/san.log" 2>&1; then
	bad=0
	for f in "$data"/*.*.*; do
		case $f in *.py) continue ;; esac
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
			"$src/build/san-vfiopm-check" --json --junit "$tmp/j.xml" "$f" >/dev/null 2>"$tmp/san.err"
		r=$?
		if grep -qE 'runtime error|Sanitizer' "$tmp/san.err" || [ "$r" != "$(want_of "$f")" ]; then
			bad=1
			echo "# $f: exit $r"
			head -5 "$tmp/san.err" | sed 's/^/#   /'
		fi
	done
	check "CLI over every crafted log under ASan/UBSan" test $bad = 0
else
	nok "CLI over every crafted log under ASan/UBSan (build failed)"
fi

L=$data/lifecycle.balanced.trace
I=$data/interleaved.balanced.pipe

# ---- options and exit codes
run_tool "$tmp/o" --expect-idle "$data/open-session.balanced.pipe"
check "--expect-idle fails an open session (exit 1)" \
	eval '[ $rc = 1 ] && grep -q "FAIL not_idle \[session\]" "$tmp/o"'
run_tool "$tmp/o" --expect-idle "$L"
check "--expect-idle passes a closed log (exit 0)" test $rc = 0

"$tool" - <"$L" >"$tmp/o" 2>&1
rc=$?
check "reads stdin ('-')" eval '[ $rc = 0 ] && grep -q "^- (ftrace)" "$tmp/o"'
# shellcheck disable=SC2002  # a pipe, not a file, on stdin
cat "$L" | "$tool" >/dev/null 2>&1
check "reads stdin by default" test $? = 0

run_tool "$tmp/o" "$L" "$data/leak-ioctl.imbalance.trace" "$data/lost.inconclusive.trace"
check "several inputs: imbalance wins (exit 1)" test $rc = 1
run_tool "$tmp/o" "$L" "$data/lost.inconclusive.trace"
check "several inputs: balanced + inconclusive = 2" test $rc = 2

run_tool "$tmp/o" /nonexistent/vfiopm.trace
check "missing file: exit 74, file named" \
	eval '[ $rc = 74 ] && grep -q "/nonexistent/vfiopm.trace: No such file" "$tmp/o.err"'
run_tool "$tmp/o" "$data"
check "directory as input: exit 74, file named" \
	eval '[ $rc = 74 ] && grep -q "$data: read error" "$tmp/o.err"'
run_tool "$tmp/o" "$L" --junit /nonexistent/dir/x.xml
check "unwritable --junit: exit 74" test $rc = 74
run_tool "$tmp/o" --no-such-option "$L"
check "bad option: exit 64" test $rc = 64
run_tool "$tmp/o" -d 0000:00:2.0 "$L"
check "-d validates the BDF (exit 64)" eval '[ $rc = 64 ] && grep -q "not a PCI device name" "$tmp/o.err"'
run_tool "$tmp/o" --format xml "$L"
check "--format rejects unknown formats (exit 64)" test $rc = 64
run_tool "$tmp/o" --format json "$L"
check "--format json on an ftrace log: exit 64" test $rc = 64
run_tool "$tmp/o" --format perf "$data/lifecycle.balanced.perf"
check "--format perf on a perf log: exit 0" test $rc = 0
run_tool "$tmp/o" "$data/garbage.usage.txt"
check "unrecognisable format: exit 64 with a hint" eval '[ $rc = 64 ] && grep -q "use --format" "$tmp/o.err"'

run_tool "$tmp/o" -d 0000:00:03.0 "$I"
check "-d keeps only that device" \
	eval '[ $rc = 0 ] && grep -q "0000:00:03.0: balanced" "$tmp/o" && ! grep -q "0000:00:02.0:" "$tmp/o" && grep -q "filtered out by -d" "$tmp/o"'
run_tool "$tmp/o" -d 0000:00:09.0 "$I"
check "-d with a device not in the log: inconclusive (exit 2)" \
	eval '[ $rc = 2 ] && grep -q "no events for this device" "$tmp/o"'

run_tool "$tmp/o" -q "$data/leak-ioctl.imbalance.trace"
check "-q prints nothing, exit status still 1" eval '[ $rc = 1 ] && [ ! -s "$tmp/o" ]'
run_tool "$tmp/o" -v "$I"
check "-v lists ignored lines on stderr" \
	eval 'grep -q "other event" "$tmp/o.err" && grep -q "unknown vfio event" "$tmp/o.err"'
run_tool "$tmp/o" --help
check "--help teaches formats, rules, exit codes and an example" \
	eval '[ $rc = 0 ] && grep -q "FORMATS" "$tmp/o" && grep -q "RULES" "$tmp/o" && grep -q "EXIT STATUS" "$tmp/o" && grep -q "EXAMPLE" "$tmp/o"'

# ---- report formats
run_tool "$tmp/o" --json "$data/leak-ioctl.imbalance.trace" "$I"
check "--json is one valid JSON document with the findings" \
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exit"] == 1 and d["result"] == "imbalance", d["result"]
f = d["inputs"][0]["findings"]
leak = [x for x in f if x["kind"] == "leak"][0]
assert leak["dev"] == "0000:00:02.0" and leak["pid"] == 321 and leak["site"].startswith("ioctl 0x3b6e"), leak
assert leak["age"] is not None and leak["line"] > 0
assert len(d["inputs"][1]["devices"]) == 2
' "$tmp/o"
run_tool "$tmp/o" --junit "$tmp/r.xml" "$I" "$data/leak-ioctl.imbalance.trace" "$data/lost.inconclusive.trace"
check "--junit writes one test case per device, failures and errors" \
	python3 -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.findall("testsuite")
assert len(s) == 3
assert [c.get("name") for c in s[0].findall("testcase")] == ["0000:00:02.0", "0000:00:03.0"]
assert s[0].find("testcase/failure") is None
assert s[1].find("testcase/failure") is not None
assert s[2].find("testcase/error") is not None
for x in s:
    assert int(x.get("tests")) == len(x.findall("testcase"))
' "$tmp/r.xml"

# ---- streaming: memory stays flat on a large log
python3 - "$tmp/big.trace" <<'PY'
import sys
A = "0000:00:02.0"
with open(sys.argv[1], "w") as f:
    f.write(f"  sh-50 [000] ..... 1.000000: vfio_pci_pm_put: {A} usage_count=0 op=put reason=register ret=0\n")
    f.write(f"  t-123 [001] ..... 1.000001: vfio_pci_pm_get: {A} usage_count=1 op=resume_and_get reason=enable ret=0\n")
    ts = 1.00001
    blk = []
    for i in range(200000):
        ts += 0.00001
        blk.append(f"  t-123 [001] ..... {ts:.6f}: vfio_device_pm_get: {A} usage_count=2 cmd=0x3b75 ret=0\n")
        blk.append(f"  t-123 [001] ..... {ts + 0.000003:.6f}: vfio_device_pm_put: {A} usage_count=1 cmd=0x3b75 ret=0\n")
        blk.append(f"  t-123 [001] ..... {ts + 0.000004:.6f}: sched_switch: prev_comm=t prev_pid=123 ==> next_comm=swapper next_pid=0\n")
    f.write("".join(blk))
    f.write(f"  t-123 [001] ..... {ts + 1:.6f}: vfio_pci_pm_put: {A} usage_count=0 op=put reason=disable ret=0\n")
PY
/usr/bin/time -o "$tmp/time" -f '%M' "$tool" -q "$tmp/big.trace"
rc=$?
rss=$(tail -1 "$tmp/time")
size=$(($(stat -c %s "$tmp/big.trace") >> 20))
check "streams a ${size} MiB log in ${rss} KiB RSS (<= 16 MiB), exit 0" \
	eval '[ $rc = 0 ] && [ "$rss" -le 16384 ]'
rm -f "$tmp/big.trace"

# ---- fuzzing
if [ "$fuzz_s" = 0 ]; then
	ok "fuzz # SKIP VFIOPM_FUZZ_SECONDS=0"
elif ! command -v clang >/dev/null; then
	ok "fuzz # SKIP clang not installed (scripts/install-deps.sh)"
elif make -s -C "$src" fuzz FUZZ_SECONDS="$fuzz_s" >"$tmp/fuzz.log" 2>&1; then
	runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$tmp/fuzz.log" | grep -oE '[0-9]+$')
	ok "libFuzzer ${fuzz_s}s, ${runs:-?} runs, no crash or leak"
else
	nok "libFuzzer ${fuzz_s}s"
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$tmp/fuzz.log" | head -20 | sed 's/^/# /'
fi
