#!/usr/bin/env python3
"""Check an ftrace log of the vfio low-power kselftest against the event contract.

    check-trace.py TRACE BDF CONTRACT_MD [--usage-start N] [--usage-end N]

CONTRACT_MD is docs/tracepoints.md: the events to expect and each one's fields
are read from it, so the document and the kernel cannot drift apart silently.
Prints one TAP line per check ("ok - ..." / "not ok - ...") and exits 1 if any
failed. As a negative control it also re-checks the log with one region_rw put
removed and requires the usage-count accounting to flag it.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import contract  # noqa: E402  the event contract, bpf/vfiopm-contract.h

LINE = re.compile(
    r"^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?:\S{4,6}\s+)?"
    r"(?P<ts>\d+\.\d+):\s+(?P<event>\w+):\s+(?P<dev>\S+)(?P<rest>.*)$")

_C = contract.load()
_DSTATES = set(_C["dstate"].values()) | set(contract.EXTRA["dstate"].values())
ENUMS = {
    "op": set(_C["op"].values()),
    "reason": set(_C["reason"].values()),
    "source": set(_C["source"].values()),
    "from": _DSTATES,
    "to": _DSTATES,
}
BOOLS = {"engaged", "wake_armed", "intx_masked", "with_wakeup"}
EINVAL = -22


def contract(path):
    """Map event name -> ordered field names, from the markdown headings/tables."""
    events, current, in_table, done = {}, [], False, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            current = re.findall(r"`\w+:(\w+)`", line)
            for e in current:
                events[e] = []
            in_table = done = False
            continue
        if not current or done:
            continue
        if line.startswith("|"):
            in_table = True
            first = line.split("|")[1]
            for f in re.findall(r"`(\w+)`", first):
                for e in current:
                    events[e].append(f)
        elif in_table:
            done = True
    return events


def parse(lines):
    events, bad = [], []
    for n, line in enumerate(lines, 1):
        if line.startswith("#") or not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            bad.append((n, line.rstrip()))
            continue
        fields = dict(kv.split("=", 1) for kv in m.group("rest").split())
        events.append({"n": n, "event": m.group("event"), "dev": m.group("dev"),
                       "pid": int(m.group("pid")), "ts": float(m.group("ts")),
                       **fields})
    return events, bad


def delta(e):
    """How the event changed the usage count, per docs/tracepoints.md."""
    name, ret = e["event"], int(e.get("ret", 0))
    if name == "vfio_device_pm_get":
        return 1 if ret == 0 else 0
    if name == "vfio_device_pm_put":
        return -1
    if name == "vfio_pci_pm_get":
        return 1 if e["op"] == "get_noresume" or ret == 0 else 0
    if name == "vfio_pci_pm_put":
        return -1
    return 0


REF_EVENTS = ("vfio_device_pm_get", "vfio_device_pm_put", "vfio_pci_pm_get", "vfio_pci_pm_put")


def accounting(events, bdf):
    """Usage count walk: (start, end, problems).

    A resume_and_get (vfio_device_pm_get, vfio_pci_pm_get op=resume_and_get)
    raises the count before it resumes the device, and its event fires after
    the resume: a vfio_pci_runtime_resume whose usage_count is one above the
    walk is that pending get, counted there and not again at its own event.
    Other non-get/put events only report the count.
    """
    mine = [e for e in events if e["dev"] == bdf]
    refs = [e for e in mine if e["event"] in REF_EVENTS]
    problems = []
    if not refs:
        return None, None, ["no get/put events for " + bdf]
    first = refs[0]
    start = int(first["usage_count"]) - delta(first)
    count, pending = start, {}
    for e in mine:
        after = int(e["usage_count"])
        if e["event"] == "vfio_pci_runtime_resume":
            if e["n"] < first["n"]:
                continue
            if after == count + 1:
                pending[e["pid"]] = pending.get(e["pid"], 0) + 1
                count = after
            continue
        if e["event"] not in REF_EVENTS:
            continue
        d = delta(e)
        resumes = e["event"] == "vfio_device_pm_get" or e.get("op") == "resume_and_get"
        if d > 0 and resumes and pending.get(e["pid"], 0):
            pending[e["pid"]] -= 1
            d = 0
        if d < 0 and count == 0:
            problems.append(f"line {e['n']}: {e['event']} with usage count already 0 (underflow)")
        elif e.get("ret") == str(EINVAL) and e["event"].endswith("_put"):
            problems.append(f"line {e['n']}: put returned -EINVAL (underflow)")
        if after != count + d:
            problems.append(f"line {e['n']}: usage_count={after}, expected {count + d} "
                            f"after {e['event']} (a change the events do not explain)")
        count = after
    return start, count, problems


def pairing(events, bdf):
    """Gets and puts per pairing must match over a whole kselftest run."""
    mine = [e for e in events if e["dev"] == bdf]
    problems = []
    ioctl = {}
    for e in mine:
        if e["event"] in ("vfio_device_pm_get", "vfio_device_pm_put") and e.get("ret", "0") == "0" \
                or e["event"] == "vfio_device_pm_put":
            key = (e["pid"], e["cmd"])
            ioctl[key] = ioctl.get(key, 0) + (1 if e["event"].endswith("_get") else -1)
    for (pid, cmd), n in sorted(ioctl.items()):
        if n:
            problems.append(f"ioctl cmd={cmd} pid={pid}: {n:+d} unpaired references")

    def count(event, **kw):
        return sum(1 for e in mine if e["event"] == event and all(e.get(k) == v for k, v in kw.items()))

    rw_get = count("vfio_pci_pm_get", reason="region_rw", ret="0")
    rw_put = count("vfio_pci_pm_put", reason="region_rw")
    if rw_get != rw_put:
        problems.append(f"region_rw: {rw_get} gets, {rw_put} puts")
    en = count("vfio_pci_pm_get", reason="enable", ret="0")
    dis = count("vfio_pci_pm_put", reason="disable") + count("vfio_pci_pm_put", reason="enable")
    if en != dis:
        problems.append(f"enable/disable: {en} opens, {dis} closes")
    lp_in = count("vfio_pci_pm_put", reason="low_power_entry")
    lp_out = count("vfio_pci_pm_get", reason="low_power_exit")
    if lp_in != lp_out:
        problems.append(f"low power: {lp_in} entries, {lp_out} exits")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("bdf")
    ap.add_argument("contract")
    ap.add_argument("--usage-start", type=int)
    ap.add_argument("--usage-end", type=int)
    a = ap.parse_args()

    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("ok" if ok else "not ok") + f" - {name}" + (f": {detail}" if detail and not ok else ""))
        if detail and ok:
            print(f"# {detail}")

    spec = contract(a.contract)
    lines = open(a.trace, encoding="utf-8", errors="replace").read().splitlines()
    events, bad = parse(lines)
    lost = [l for l in lines if "LOST" in l]
    check("contract lists events", len(spec) >= 10, f"{len(spec)} events in {a.contract}")
    check("trace has no lost events", not lost, "; ".join(lost[:3]))
    check("every trace line parses", not bad, "; ".join(f"line {n}: {l}" for n, l in bad[:3]))

    for name, fields in spec.items():
        mine = [e for e in events if e["event"] == name]
        check(f"event {name} fired", bool(mine), f"{len(mine)} times")
        wrong = []
        for e in mine:
            got = ["dev"] + [k for k in e if k not in ("n", "event", "dev", "pid", "ts")]
            if got != fields:
                wrong.append(f"line {e['n']}: fields {got}, contract says {fields}")
                continue
            if e["dev"] != a.bdf:
                wrong.append(f"line {e['n']}: dev {e['dev']}")
            for k, v in e.items():
                if k in ENUMS and v not in ENUMS[k]:
                    wrong.append(f"line {e['n']}: {k}={v}")
                elif k in BOOLS and v not in ("0", "1"):
                    wrong.append(f"line {e['n']}: {k}={v}")
                elif k == "usage_count" and not (v.isdigit()):
                    wrong.append(f"line {e['n']}: usage_count={v}")
                elif k == "cmd" and not re.fullmatch(r"0x[0-9a-f]+", v):
                    wrong.append(f"line {e['n']}: cmd={v}")
                elif k == "ret" and not re.fullmatch(r"-?\d+", v):
                    wrong.append(f"line {e['n']}: ret={v}")
            if name == "vfio_pci_pm_get" and e.get("op") not in ("resume_and_get", "get_noresume"):
                wrong.append(f"line {e['n']}: get with op={e.get('op')}")
            if name == "vfio_pci_pm_put" and e.get("op") not in ("put", "put_noidle"):
                wrong.append(f"line {e['n']}: put with op={e.get('op')}")
        if mine:
            check(f"event {name} fields match the contract", not wrong, "; ".join(wrong[:3]))

    mine = [e for e in events if e["dev"] == a.bdf]
    seq = [e["event"] for e in mine]
    wakes = [i for i, s in enumerate(seq) if s == "vfio_pci_wake_signal"]
    follow = all(i + 2 < len(mine) and mine[i + 1]["event"] == "vfio_pci_pm_get"
                 and mine[i + 1].get("reason") == "low_power_exit"
                 and mine[i + 2]["event"] == "vfio_pci_low_power_exit"
                 and mine[i + 2].get("source") == "wake" for i in wakes)
    check("each wake signal is followed by a low power exit (source=wake)", bool(wakes) and follow,
          f"{len(wakes)} wake signals")
    entries_ok = sum(1 for e in mine if e["event"] == "vfio_pci_low_power_entry" and e["ret"] == "0")
    refused = sum(1 for e in mine if e["event"] == "vfio_pci_low_power_entry" and e["ret"] != "0")
    puts = sum(1 for e in mine if e["event"] == "vfio_pci_pm_put" and e["reason"] == "low_power_entry")
    check("each accepted low power entry drops exactly one reference", entries_ok == puts and entries_ok > 0,
          f"{entries_ok} accepted, {refused} refused entries, {puts} put_noidle")
    sources = {e.get("source") for e in mine if e["event"] == "vfio_pci_low_power_exit"}
    check("low power exits from ioctl, wake and close all seen", sources == {"ioctl", "wake", "disable"},
          f"sources {sorted(sources)}")

    start, end, problems_walk = accounting(events, a.bdf)
    check("usage count moves only as the events say", not problems_walk,
          "; ".join(problems_walk[:3]))
    check("usage count ends where it started", start is not None and start == end,
          f"start {start}, end {end}")
    if a.usage_start is not None:
        check("trace start agrees with sysfs runtime_usage", start == a.usage_start,
              f"trace {start}, sysfs {a.usage_start}")
    if a.usage_end is not None:
        check("sysfs runtime_usage back to its start value", a.usage_end == a.usage_start,
              f"start {a.usage_start}, end {a.usage_end}")
    problems = pairing(events, a.bdf)
    check("every get has its put, per pairing", not problems, "; ".join(problems[:3]))

    # Negative control: drop one region_rw put; the checks above must notice.
    victim = next((e["n"] for e in events if e["event"] == "vfio_pci_pm_put"
                   and e.get("reason") == "region_rw"), None)
    if victim is None:
        check("negative control: a removed put is flagged", False, "no region_rw put to remove")
    else:
        doctored, _ = parse(l if i != victim else "" for i, l in enumerate(lines, 1))
        _, _, p2 = accounting(doctored, a.bdf)
        check("negative control: a removed put is flagged",
              len(p2) > len(problems_walk) and bool(pairing(doctored, a.bdf)))

    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
