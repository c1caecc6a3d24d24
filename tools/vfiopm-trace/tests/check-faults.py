#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Check vfiopm-trace's flags for the injected faults; prints TAP lines.

  check-faults.py OUTDIR BDF   (CASE.jsonl / CASE.rc from
                                tests/vm/guest/vfiopm-trace-fault.sh)
"""
import json
import sys

out, bdf = sys.argv[1], sys.argv[2]
failed = False


def tap(ok, name):
    global failed
    print(("ok - " if ok else "not ok - ") + name)
    failed |= not ok


def load(case):
    recs = []
    for line in open(f"{out}/{case}.jsonl"):
        try:
            recs.append(json.loads(line))
        except ValueError:
            tap(False, f"{case}: JSON line: {line[:80]}")
    return recs


def flags(recs, **want):
    """flag records and flagged events matching every key in want"""
    hits = []
    for r in recs:
        if r.get("type") == "flag":
            names = [r.get("flag")]
        elif r.get("type") == "event" and "flags" in r:
            names = r["flags"].split(",")
        else:
            continue
        ok = True
        for k, v in want.items():
            if k == "flag":
                ok &= v in names
            elif k == "site_prefix":
                ok &= str(r.get("site", "")).startswith(tuple(v.split("|")))
            else:
                ok &= r.get(k) == v
        if ok:
            hits.append(r)
    return hits


def rc(case):
    return open(f"{out}/{case}.rc").read().strip()


# (a) a reference taken outside vfio and never released
recs = load("leak")
tap(rc("leak") == "1", f"leak: --fail-on-imbalance exits 1 (got {rc('leak')})")
h = flags(recs, flag="outside-vfio", dev=bdf, direction="get", pairing="foreign",
          comm="insmod", site_prefix="vfiopm_fault_")
tap(len(h) == 1, f"leak: the get is flagged outside vfio with device, pairing and call site "
    f"({h[0]['site'] if h else 'none'})")
h = flags(recs, flag="held-outside-vfio", dev=bdf, count=1)
tap(len(h) == 1, "leak: still held at exit, device active")
s = [r for r in recs if r.get("type") == "summary" and r.get("final")]
tap(s and s[0]["outstanding"] >= 1 and s[0]["flagged"] >= 2,
    f"leak: summary shows it outstanding and flagged ({s[0]['outstanding'] if s else '?'} refs)")

# (b) an extra put while vfio's session holds the reference: vfio's put then underflows
recs = load("steal")
tap(rc("steal") == "1", f"extra put: --fail-on-imbalance exits 1 (got {rc('steal')})")
h = flags(recs, flag="outside-vfio", dev=bdf, direction="put", pairing="foreign",
          site_prefix="vfiopm_fault_")
tap(len(h) == 1, f"extra put: flagged outside vfio at its call site ({h[0]['site'] if h else 'none'})")
h = flags(recs, flag="underflow", dev=bdf, event="vfio_pci_pm_put", reason="disable",
          pairing="session", ret=-22, site_prefix="vfio_pci_core_")
tap(len(h) == 1, f"extra put: the session's own put is flagged as underflow with its pairing and site "
    f"({h[0]['site'] if h else 'none'})")
tap(len(flags(recs, flag="held-at-suspend", dev=bdf, pairing="session", reason="disable")) == 1,
    "extra put: the device suspended while the session held its reference (held-at-suspend)")

# (b') an extra put at count 0: the kernel refuses it
recs = load("underflow")
tap(rc("underflow") == "1", f"put at 0: --fail-on-imbalance exits 1 (got {rc('underflow')})")
h = flags(recs, flag="underflow", dev=bdf, direction="put", comm="insmod", site_prefix="vfiopm_fault_")
tap(len(h) == 1, f"put at 0: flagged as underflow at its call site ({h[0]['site'] if h else 'none'})")
h = [r for r in recs if "stack" in r]
tap(h and any(f.startswith("vfiopm_fault_") for r in h for f in r["stack"]),
    "--stacks: flagged records carry the symbolized kernel stack")
sys.exit(1 if failed else 0)
