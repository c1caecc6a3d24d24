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
exit $tap_failed
