#!/usr/bin/env bash
# Host tier: the repository carries its own contract. Nothing tracked may
# point at a design document or a directory outside the tree.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

cd "$top" || exit 1
check "docs/design.md exists" test -s docs/design.md
# DESIGN.md (upper case) was the starting contract, kept outside the tree.
hits=$(git grep -nI -e 'DESIGN\.md' -e '\.\./shared' -- . ':!tests/host/05-repository.sh' 2>/dev/null)
check "no tracked file points outside the repository${hits:+: $(head -n 3 <<<"$hits" | tr '\n' ' ')}" \
	test -z "$hits"
# Every relative link in docs/ and README.md names a file in the tree.
broken=$(git ls-files '*.md' | while read -r f; do
	grep -oE '\]\([^)#:]+\)' "$f" | sed -E 's/^\]\(//; s/\)$//' | while read -r l; do
		[ -e "$(dirname "$f")/$l" ] || echo "$f -> $l"
	done
done)
check "every relative Markdown link resolves${broken:+: $(head -n 3 <<<"$broken" | tr '\n' ' ')}" test -z "$broken"
# The event contract is written once (bpf/vfiopm-contract.h); the bpftrace
# tools restate its names, so they are checked against it.
python3 scripts/contract.py --copies scripts/bpftrace/*.bt || tap_failed=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/@reason\[7\] = "sriov"; @reason\[8\] = "reset"/@reason[7] = "reset"; @reason[8] = "sriov"/' \
	scripts/bpftrace/vfio-refs.bt >"$tmp/vfio-refs.bt"
check "contract: a bpftrace copy with two reasons swapped fails the check (control)" \
	sh -c "! python3 scripts/contract.py --copies '$tmp/vfio-refs.bt' >/dev/null"
# the Python tools read the contract, they do not restate it
copies=$(git grep -nE '"(region_rw|low_power_entry)", *"' -- '*.py' ':!scripts/contract.py' 2>/dev/null)
check "no Python file restates the reason names${copies:+: $copies}" test -z "$copies"
exit $tap_failed
