#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Verdicts of vfiopm-trace on the stress runs; prints TAP lines.

  check-stress.py OUTDIR BDF RUNS   (files of tests/vm/guest/stress.sh)

Clean runs (run1..RUNS): the workload did its whole mix with no error, and
vfiopm-trace exited 0 with nothing flagged and nothing lost. Fault runs: the
injected fault is flagged with device, pairing, task and call site. The last
line, a comment, gives the false-flag and miss counts.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_records  # noqa: E402

out, bdf, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
failed = False
false_flags = misses = 0


def tap(ok, name):
    global failed
    print(("ok - " if ok else "not ok - ") + name)
    failed |= not ok
    return ok


def read(name, default=""):
    return trace_records.read(out, name) or default


def records(name):
    return trace_records.records(out, f"{name}.jsonl")


def summary(recs):
    return trace_records.summary(recs, bdf)


flagged = trace_records.flagged


def workload(name):
    try:
        return json.loads(read(f"{name}.stress", "{}") or "{}")
    except ValueError:
        return {}


MIX = ("reads", "sysfs_reads", "entries", "wake_entries", "busy", "exits", "wakes", "closed_engaged")

for i in range(1, runs + 1):
    name = f"run{i}"
    w = workload(name)
    tap(read(f"{name}.stress-rc") == "0" and all(w.get(k, 0) > 0 for k in MIX),
        f"{name}: workload ran its whole mix, no errors ({read(f'{name}.stress') or 'no counts'})")
    recs = records(name)
    f = flagged(recs)
    s = summary(recs)
    for r in f[:5]:
        print("# flagged:", json.dumps(r)[:300])
    false_flags += len(f) + (read(f"{name}.rc") != "0")
    tap(read(f"{name}.rc") == "0" and not f and s.get("flagged") == 0,
        f"{name}: vfiopm-trace exit {read(f'{name}.rc')}, {len(f)} flagged, summary says "
        f"{s.get('flagged', '?')}")
    tap(s.get("lost") == 0 and s.get("gets", 0) > 0, f"{name}: 0 lost of {s.get('gets', 0)} gets")
    tap(s.get("config_puts", 0) > 0 and s.get("foreign_puts") == 0,
        f"{name}: {s.get('config_puts', 0)} sysfs config puts recognised, "
        f"{s.get('foreign_puts', '?')} left unexplained")
    tap(read(f"{name}.usage") == "0", f"{name}: device idle afterwards (runtime_usage {read(f'{name}.usage')})")

# a reference taken mid-run and held: flagged live (held > 1 s), with its site
recs = records("leak")
h = [r for r in flagged(recs) if r.get("flag") == "outside-vfio" and r.get("dev") == bdf
     and r.get("direction") == "get" and r.get("comm") == "insmod"
     and str(r.get("site", "")).startswith("vfiopm_fault_")]
misses += not h
tap(read("leak.rc") == "1" and len(h) == 1,
    f"leak: vfiopm-trace exit {read('leak.rc')}, the get flagged once with device, task and site "
    f"({h[0]['site'] + ', ' + h[0]['why'] if h else 'none'})")
tap(h and h[0].get("why") == "held longer than 1 s", "leak: flagged live, before the end")
s = summary(recs)
tap(s.get("flagged", 0) == len(flagged(recs)),
    f"leak: summary and stream agree on the flagged count ({s.get('flagged')} vs {len(flagged(recs))})")

# one extra put mid-run: the put is named, and so is vfio's put that the kernel then refused
recs = records("put")
tap("ret 0" in read("put.dmesg"), f"put: the module's put was taken by the kernel ({read('put.dmesg')})")
p = [r for r in flagged(recs) if r.get("flag") == "outside-vfio" and r.get("direction") == "put"
     and str(r.get("site", "")).startswith("vfiopm_fault_")]
c = [r for r in flagged(recs) if r.get("flag") == "underflow" or
     set(r.get("flags", "").split(",")) & {"underflow", "held-at-suspend"}]
misses += not (p and c)
tap(read("put.rc") == "1" and len(p) == 1,
    f"put: vfiopm-trace exit {read('put.rc')}, the extra put flagged at its site "
    f"({p[0]['site'] if p else 'none'})")
tap(len(c) >= 1 and all(r.get("dev") == bdf and r.get("pairing") and r.get("site") for r in c),
    "put: the count going wrong is flagged with device, pairing and site (" +
    (", ".join(f"{r.get('flags', r.get('flag'))} [{r['pairing']}] at {r['site']}" for r in c[:3])
     or "none") + ")")
s = summary(recs)
tap(s.get("flagged", 0) == len(flagged(recs)),
    f"put: summary and stream agree on the flagged count ({s.get('flagged')} vs {len(flagged(recs))})")
print(f"# vfiopm-trace: {false_flags} false flags over {runs} clean runs, {misses} misses over 2 faults")
sys.exit(1 if failed else 0)
