#!/usr/bin/env python3
"""The record format's round trip, on logs a VM tier recorded (TAP lines).

    record-check.py [--args "VIEW ARGS"] LOG.jsonl...

Each LOG.jsonl is `vfiopm-trace --json ARGS -w LOG.vfr` from one run (the
record file beside it: LOG.vfr, or LOG.jsonl's name with .vfr). Checks:
  - `vfiopm-trace -r LOG.vfr --json ARGS` prints LOG.jsonl, byte for byte,
    and exits as the live run did (LOG.rc or LOG.jsonl.rc, when there);
  - `vfiopm-check LOG.vfr` and `vfiopm-check LOG.jsonl` give the same verdict,
    exit status and findings;
  - a copy cut in the middle, one without its trailer and one with a record
    length damaged are inconclusive (exit 2) for vfiopm-check, with a message
    that says so, and vfiopm-trace -r exits 2 saying why; the sanitizer build
    of vfiopm-check reads them without a report.
"""
import json
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
trace = f"{top}/tools/vfiopm-trace/vfiopm-trace"
check = f"{top}/tools/vfiopm-check/vfiopm-check"
san = f"{top}/tools/vfiopm-check/build/san-vfiopm-check"
failed = False


def tap(ok, text):
    global failed
    print(("ok - " if ok else "not ok - ") + text)
    failed |= not ok


def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def findings(report):
    """A vfiopm-check --json report without what differs by format: names, line numbers, counts of lines."""
    out = []
    for i in report.get("inputs", []):
        devs = [{k: v for k, v in d.items()} for d in i.get("devices", [])]
        fs = [{k: re.sub(r"line \d+", "line N", v) if k == "message" else v
               for k, v in f.items() if k not in ("line", "file")} for f in i.get("findings", [])]
        out.append((i.get("verdict"), i.get("events"), i.get("lost_events"), devs, fs))
    return report.get("result"), report.get("exit"), out


def rec_path(log):
    base = log[:-6] if log.endswith(".jsonl") else log
    return base + ".vfr"


def rc_of(log):
    base = log[:-6] if log.endswith(".jsonl") else log
    for p in (base + ".rc", log + ".rc"):
        if os.path.exists(p):
            return int(open(p).read().strip() or -1)
    return None


def damaged_copies(rec, tmp):
    data = open(rec, "rb").read()
    hlen = struct.unpack_from("<H", data, 10)[0]
    first = hlen
    # the second record's length field: past the first record
    second = first + struct.unpack_from("<I", data, first)[0]
    trailer = len(data) - 40
    copies = {
        "cut in the middle": (data[: len(data) // 2 + 3], "cut"),
        "without its trailer": (data[:trailer], "no trailer"),
        "with a record length damaged": (data[:second] + struct.pack("<I", 12) + data[second + 4:],
                                         "corrupt"),
    }
    for name, (blob, _) in copies.items():
        path = os.path.join(tmp, name.replace(" ", "-") + ".vfr")
        open(path, "wb").write(blob)
        yield name, path, copies[name][1]


def one(log, args):
    name = os.path.basename(log)
    rec = rec_path(log)
    if not os.path.exists(rec):
        tap(False, f"{name}: the run wrote its record file {os.path.basename(rec)}")
        return
    want = open(log).read()
    rc, out, err = run(trace, "-r", rec, "--json", *args)
    same = out == want
    if not same:
        a, b = out.splitlines(), want.splitlines()
        n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        err = f"first difference at line {n + 1}: replay {a[n:n + 1]} vs live {b[n:n + 1]}; {err.strip()}"
    tap(same, f"{name}: `vfiopm-trace -r --json {' '.join(args)}` prints the live --json output "
        f"byte for byte ({len(want.splitlines())} lines, {os.path.getsize(rec)} bytes recorded)"
        + ("" if same else f": {err[:400]}"))
    live_rc = rc_of(log)
    if live_rc is not None and "--fail-on-imbalance" in args:
        tap(rc == live_rc, f"{name}: the replay exits {rc}, as the live run did ({live_rc})")
    r1, o1, _ = run(check, "--json", rec)
    r2, o2, _ = run(check, "--json", log)
    try:
        f1, f2 = findings(json.loads(o1)), findings(json.loads(o2))
    except ValueError:
        f1, f2 = ("bad", o1[:200]), ("bad", o2[:200])
    tap(r1 == r2 and f1 == f2, f"{name}: vfiopm-check reads the record file as the JSON log: "
        f"{f1[0]} (exit {r1}) and {f2[0]} (exit {r2})" + ("" if f1 == f2 else f": {f1} vs {f2}"))
    # what is proven before the damage stands (an underflow is one); anything else is inconclusive
    want_rc = "1 or 2" if r2 == 1 else "2"
    with tempfile.TemporaryDirectory() as tmp:
        for what, path, word in damaged_copies(rec, tmp):
            r, out, _ = run(check, path)
            tap(str(r) in want_rc and word in out and "INCONCLUSIVE" in out,
                f"{name} {what}: vfiopm-check exit {r} (want {want_rc}), an INCONCLUSIVE finding "
                f"saying '{word}'" + ("" if word in out else f": {out[-300:]}"))
            r, _, err = run(trace, "-r", path, "--json")
            tap(r == 2 and word in err, f"{name} {what}: vfiopm-trace -r exit {r} (want 2): {err.strip()[:200]}")
            if os.access(san, os.X_OK):
                r, _, err = run(san, "-q", path)
                tap(str(r) in want_rc and "ERROR" not in err and "runtime error" not in err,
                    f"{name} {what}: the sanitizer build reads it cleanly (exit {r})")


def main():
    argv = sys.argv[1:]
    args = []
    if argv[:1] == ["--args"]:
        args = shlex.split(argv[1])
        argv = argv[2:]
    if not argv:
        tap(False, "record-check: no logs given")
    for log in argv:
        one(log, args)
    sys.exit(1 if failed else 0)


main()
