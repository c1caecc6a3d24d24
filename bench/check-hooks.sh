#!/usr/bin/env bash
# Does bench/floor.bpf.c have an empty program on exactly the hooks vfiopm-trace
# attaches in full mode? Those are the entries of progs[] in
# tools/vfiopm-trace/vfiopm-trace.c with M_FULL, their sections in
# bpf/vfiopm-trace.bpf.c. Prints the differences; exit status 1 if any.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
python3 - "$top" <<'PY'
import re, sys
top = sys.argv[1]
tool = open(f"{top}/tools/vfiopm-trace/vfiopm-trace.c").read()
full = set(re.findall(r'\{\s*"(\w+)",\s*K_\w+,\s*"\w+",\s*[^}]*M_FULL[^}]*\}', tool))
bpf = open(f"{top}/bpf/vfiopm-trace.bpf.c").read()
secs = dict((n, s) for s, n in re.findall(r'SEC\("([^"]+)"\)\s*int\s+BPF_PROG\((\w+)', bpf))
want = {(secs.get(n, "?"), n) for n in full}
floor = open(f"{top}/bench/floor.bpf.c").read()
have = {(f"{k}/{t}", n) for k, t, n in re.findall(r'^EMPTY\("(\w+)", "(\w+)", (\w+)\)', floor, re.M)}
for sec, name in sorted(want - have):
    print(f"check-hooks: vfiopm-trace attaches {name} ({sec}) in full mode; bench/floor.bpf.c has no empty program for it")
for sec, name in sorted(have - want):
    print(f"check-hooks: bench/floor.bpf.c has {name} ({sec}), which vfiopm-trace does not attach in full mode")
sys.exit(1 if want != have else 0)
PY
