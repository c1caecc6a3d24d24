#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""vfiopm-trace's verdicts on a kernel with a test-only vfio-pci bug; TAP lines.

  check-bugs.py OUTDIR BDF BUG     (files of tests/vm/guest/kernel-bug.sh;
                                    BUG: region-leak or region-double-put)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_records  # noqa: E402

out, bdf, bug = sys.argv[1], sys.argv[2], sys.argv[3]
failed = False


def tap(ok, name):
    global failed
    print(("ok - " if ok else "not ok - ") + f"{bug}: {name}")
    failed |= not ok


def read(name, default=""):
    return trace_records.read(out, name) or default


def records(name):
    return trace_records.records(out, name)


def summary(recs):
    return trace_records.summary(recs, bdf)


flagged = trace_records.flagged


# the bug path not taken: nothing to find
recs = records("control.jsonl")
tap(read("control.rc") == "0" and not flagged(recs) and summary(recs).get("flagged") == 0,
    f"control (bug path not taken): vfiopm-trace exit {read('control.rc')}, nothing flagged")
tap(read("control.usage") == "0", "control: device idle afterwards")
tap(read("bug.lp").endswith("rc 0"), "the ROM write was refused by the kernel, as the bug path needs")

recs = records("bug.jsonl")
f = flagged(recs)
s = summary(recs)
site_ok = lambda r: str(r.get("site", "")).startswith("vfio_pci_rw+")
if bug == "region-leak":
    h = [r for r in f if r.get("flag") == "leak" and r.get("pairing") == "region"
         and r.get("comm") == "vfio-lowpower" and site_ok(r)]
    tap(read("bug.rc") == "1" and len(h) == 1,
        f"the leak is flagged once with pairing, task and site ({h[0]['site'] + ': ' + h[0]['why'] if h else 'none'})")
    order = [i for i, r in enumerate(recs) if r in h] + [i for i, r in enumerate(recs) if r is s]
    tap(len(order) == 2 and order[0] < order[1] and h[0].get("why") == "still held when the session closed",
        "the leak is flagged live, when the session closed, before the summary")
    tap(read("bug.usage") == "1", f"the device stays held (runtime_usage {read('bug.usage')})")
    a = [r for r in records("after.jsonl") if r.get("flag") == "held-before-trace" and r.get("dev") == bdf]
    tap(len(a) == 1 and a[0].get("usage_count") == 1 and a[0].get("explained") == 0,
        "a tracer started after the leak reports the reference held before it began "
        f"({json.dumps(a[0]) if a else 'none'})")
else:
    h = [r for r in f if r.get("event") == "vfio_pci_pm_put" and r.get("reason") == "region_rw"
         and r.get("pairing") == "region" and r.get("comm") == "vfio-lowpower" and site_ok(r)
         and "put-without-get" in r.get("flags", "")]
    tap(read("bug.rc") == "1" and len(h) == 1,
        f"the second put is flagged with pairing, task and site ({h[0]['site'] if h else 'none'})")
    u = [r for r in f if "underflow" in r.get("flags", "") and r.get("pairing") == "session"]
    tap(len(u) == 1, "the session's close, which the kernel then refuses, is flagged as underflow")
    a = [r for r in records("after.jsonl") if r.get("flag") == "held-before-trace"]
    tap(not a and read("after.rc") == "0", "control: a tracer started afterwards finds nothing held before it")
tap(s.get("flagged") == len(f), f"summary and stream agree on the flagged count ({s.get('flagged')} vs {len(f)})")
sys.exit(1 if failed else 0)
