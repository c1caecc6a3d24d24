#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Check a vfiopm-trace --json log of the kselftest VM run; prints TAP lines.

  check-run.py OUTDIR    (trace.jsonl, ftrace.txt and friends from
                          tests/vm/guest/vfiopm-trace-kselftest.sh)
"""
import collections
import json
import re
import sys

out = sys.argv[1]
failed = False


def tap(ok, name):
    global failed
    print(("ok - " if ok else "not ok - ") + name)
    failed |= not ok


recs, bad = [], 0
for line in open(f"{out}/trace.jsonl"):
    try:
        recs.append(json.loads(line))
    except ValueError:
        bad += 1
tap(bad == 0 and recs, f"vfiopm-trace --json: {len(recs)} records, {bad} not JSON")
start = [r for r in recs if r.get("type") == "start"]
tap(start and start[0]["mode"] == "full", "full mode on the patched kernel")
events = [r for r in recs if r.get("type") == "event"]
vfio = [e for e in events if e["event"].startswith("vfio_")]
lost = [r for r in recs if r.get("type") == "lost"]
tap(not lost, f"no lost events ({sum(r['count'] for r in lost)} lost)")

flagged = [r for r in recs if r.get("type") == "flag" or "flags" in r]
for r in flagged[:10]:
    print("# flagged:", json.dumps(r))
tap(not flagged, f"nothing flagged ({len(flagged)} flags)")

# the kernel's own record of the same run
ft = collections.Counter()
for line in open(f"{out}/ftrace.txt"):
    m = re.search(r"\s(vfio_\w+): ", line)
    if m:
        ft[m.group(1)] += 1
ours = collections.Counter(e["event"] for e in vfio)
for name in sorted(set(ft) | set(ours)):
    tap(ft[name] == ours[name], f"{name}: {ours[name]} events, ftrace saw {ft[name]}")
tap(ft["vfio_pci_low_power_entry"] > 0 and ft["vfio_pci_wake_signal"] > 0,
    "the workload entered low power and was woken through the eventfd")

# the in-kernel state agrees with the events
summ = [r for r in recs if r.get("type") == "summary" and r.get("final")]
tap(len(summ) == 1, "one final summary record")
if summ:
    s = summ[0]
    ok_entries = sum(1 for e in vfio if e["event"] == "vfio_pci_low_power_entry" and e["ret"] == 0)
    for key, ev in (("suspends", "vfio_pci_runtime_suspend"), ("resumes", "vfio_pci_runtime_resume"),
                    ("wakes", "vfio_pci_wake_signal"), ("exits", "vfio_pci_low_power_exit")):
        tap(s[key] == ours[ev], f"summary {key} {s[key]} == {ev} events {ours[ev]}")
    tap(s["entries"] == ok_entries, f"summary entries {s['entries']} == accepted entries {ok_entries}")
    tap(s["lost"] == 0 and s["flagged"] == 0, "summary: 0 lost, 0 flagged")
    tap(0 < s["lowpower_pct"] < 100, f"time in low power {s['lowpower_pct']} %")
    tap(s["resume_p50_ns"] > 0 and s["resume_max_ns"] >= s["resume_p99_ns"] >= s["resume_p50_ns"],
        f"resume latency p50 {s['resume_p50_ns']} <= p99 {s['resume_p99_ns']} <= max {s['resume_max_ns']} ns")

# the known vfio-lowpower sequence: entry ... exit, entry-wakeup ... wait-wake exit
lp = [e for e in vfio if e["comm"] == "vfio-lowpower"]
c = collections.Counter(
    (e["event"], e.get("with_wakeup"), e.get("source")) for e in lp if e.get("ret", 0) == 0)
tap(c[("vfio_pci_low_power_entry", False, None)] == 1 and c[("vfio_pci_low_power_entry", True, None)] == 1,
    "vfio-lowpower: one ENTRY and one ENTRY_WITH_WAKEUP")
tap(c[("vfio_pci_wake_signal", None, None)] == 1, "vfio-lowpower: exactly one wake signal")
tap(c[("vfio_pci_low_power_exit", None, "wake")] == 1 and c[("vfio_pci_low_power_exit", None, "ioctl")] == 1,
    "vfio-lowpower: one exit by wake, one by ioctl")
tap(sum(1 for e in lp if e["event"] == "vfio_pci_runtime_resume") >= 2,
    "vfio-lowpower: the reads resumed the device twice")

# exactly one wake signal per armed wake, in every session
armed, bad_wake, armed_resumes, wakes = {}, 0, 0, 0
for e in vfio:
    d, n = e["dev"], e["event"]
    if n == "vfio_pci_low_power_entry" and e["ret"] == 0:
        armed[d] = e["with_wakeup"]
    elif n == "vfio_pci_runtime_resume" and e["wake_armed"]:
        armed_resumes += 1
        if not armed.get(d):
            bad_wake += 1
    elif n == "vfio_pci_wake_signal":
        wakes += 1
        if not armed.get(d):
            bad_wake += 1
        armed[d] = False
    elif n == "vfio_pci_low_power_exit":
        armed[d] = False
tap(bad_wake == 0 and wakes == armed_resumes,
    f"one wake signal per armed wake ({wakes} signals, {armed_resumes} armed resumes)")

# references outside vfio: the kselftest makes none, so none is reported
foreign = [r for r in recs if r.get("type") == "foreign" or r.get("pairing") == "foreign"]
tap(not foreign, f"no reference outside vfio reported ({len(foreign)})")

sites = [e for e in events if e.get("site")]
print(f"# {len(events)} events, {len(vfio)} vfio events")
sys.exit(1 if failed else 0)
