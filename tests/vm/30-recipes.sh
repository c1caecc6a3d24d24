#!/usr/bin/env bash
# VM tier, patched kernel: every bpftrace tool in scripts/bpftrace/ and every
# command in docs/one-liners.md runs in the VM while a low-power workload
# loops, exits cleanly, and prints what it promises. The commands are
# extracted from the document itself, so it cannot rot: a code block preceded
# by <!-- vfiopm-test expect="REGEX" --> is run and its output must match REGEX
# (grep -E). Each .bt tool declares the same in a "vfiopm-test expect" line.
# The device is the D3cold slot (vm-run.sh --d3cold): every other tier
# covers the D3hot-only one, so the recipes are shown to work on both.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

vm_tier "recipes VM tier"
kdir=$(test_kernel) ||
	{ not_ok "patched test kernel builds"; exit 1; }
require_trace_tools

out=$(mktemp -d /tmp/vfiopm-test.XXXXXX)
mkdir -p "$out/cmds"
declare -A name expect
n=0
add() { # add NAME REGEX COMMAND
	n=$((n + 1))
	local id
	id=$(printf '%02d' $n)
	name[$id]=$1
	expect[$id]=$2
	printf '%s\n' "$3" >"$out/cmds/$id.cmd"
}

for bt in "$top"/scripts/bpftrace/*.bt; do
	re=$(sed -n 's/.*vfiopm-test expect="\([^"]*\)".*/\1/p' "$bt")
	[ -n "$re" ] || { not_ok "$(basename "$bt") declares a vfiopm-test expect line"; continue; }
	args=$(sed -n 's/.*vfiopm-test.* args="\([^"]*\)".*/\1/p' "$bt")
	add "bpftrace tool $(basename "$bt")" "$re" "$(basename "$bt") $args"
done

doc=$top/docs/one-liners.md
while IFS=$'\t' read -r re cmd; do
	add "one-liner: ${cmd:0:70}" "$re" "$cmd"
done < <(awk '
	/<!-- vfiopm-test expect=/ { match($0, /expect="[^"]*"/); re = substr($0, RSTART + 8, RLENGTH - 9); want = 1; next }
	want && /^```/ { if (incode) { want = 0; incode = 0 } else incode = 1; next }
	want && incode { print re "\t" $0 }
' "$doc")
check "docs/one-liners.md has at least ten tested commands" \
	test "$(grep -c 'vfiopm-test expect=' "$doc")" -ge 10

vm_run "$out" "$kdir/linux/arch/x86/boot/bzImage" --d3cold --timeout "${VFIOPM_VM_TIMEOUT:-1200}" \
	-- tests/vm/guest/recipes.sh cmds
[ "$rc" = 0 ] || not_ok "recipes VM run completed (exit $rc)"
cycles=$(grep -c '^ok' "$out/cmds/workload.log" 2>/dev/null)
fails=$(grep -c '^failed' "$out/cmds/workload.log" 2>/dev/null)
if [ "${cycles:-0}" -gt 0 ] && [ "${fails:-0}" = 0 ]; then
	ok "low-power workload ran under the recipes ($cycles cycles)"
else
	not_ok "low-power workload ran under the recipes (${cycles:-0} cycles, ${fails:-0} failed)"
	grep -m 3 '^failed' "$out/cmds/workload.log" | sed 's/^/# /'
fi

for id in $(printf '%s\n' "${!name[@]}" | sort); do
	f=$out/cmds/$id
	if [ ! -f "$f.rc" ]; then
		not_ok "${name[$id]}: did not run"
	elif [ "$(cat "$f.rc")" != 0 ]; then
		not_ok "${name[$id]}: exit $(cat "$f.rc"): $(tail -n 2 "$f.out" | tr '\n' ' ')"
		[ -s "$f.hang" ] && sed 's/^/# /' "$f.hang"	# killed after Ctrl-C: where it waited
	elif ! grep -qE -- "${expect[$id]}" "$f.out"; then
		not_ok "${name[$id]}: output lacks /${expect[$id]}/: $(tail -n 2 "$f.out" | tr '\n' ' ')"
	else
		ok "${name[$id]} ($(cat "$f.secs" 2>/dev/null) s)"
	fi
	[ -s "$f.term" ] && echo "# ${name[$id]}: its Ctrl-C was lost (bpftrace 0.17); SIGTERM after $(tail -n 1 "$f.term") s"
done
mkdir -p "$top/tests/logs/recipes" && cp "$out"/cmds/* "$top/tests/logs/recipes/" 2>/dev/null
exit $tap_failed
