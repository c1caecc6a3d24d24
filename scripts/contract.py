#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""The event contract of bpf/vfiopm-contract.h, for Python and shell.

  contract.py --formats DIR     check the kernel's events/<sys>/<event>/format
                                files copied into DIR against the contract
  contract.py --copies FILE...  check the name tables restated in bpftrace
                                tools (@op[N] = "name" ...) against it
  contract.py --dump            print the tables as JSON

Prints one TAP line per check and exits 1 if any failed. As a module,
load() gives the tables, so Python code reads the contract, not a copy.
"""
import json
import os
import re
import sys

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bpf", "vfiopm-contract.h")


def _macro(text, name):
    m = re.search(r"#define %s\(X\)(.*?)\n(?!\s*X\()" % name, text, re.S)
    if not m:
        raise ValueError(f"{HEADER}: no {name}(X) list")
    return re.findall(r"X\(([^)]*)\)", m.group(1))


def load(path=HEADER):
    """{"op": {0: "resume_and_get", ...}, "reason": {...}, "source": {...},
    "dstate": {...}, "pairing": ["ioctl", ...], "reason_pairing": {"region_rw": "region", ...}}"""
    text = open(path, encoding="utf-8").read()

    def table(name):
        out = {}
        for args in _macro(text, name):
            parts = [a.strip() for a in args.split(",")]
            out[int(parts[0])] = parts[1].strip('"')
        return out

    pairing = {}
    for args in _macro(text, "VFIOPM_PAIRINGS"):
        suffix, name = [a.strip() for a in args.split(",")]
        pairing[suffix] = name.strip('"')
    reason_pairing = {}
    for args in _macro(text, "VFIOPM_REASONS"):
        _, name, _id, suffix = [a.strip() for a in args.split(",")]
        reason_pairing[name.strip('"')] = pairing[suffix]
    return {
        "op": table("VFIOPM_OPS"),
        "reason": table("VFIOPM_REASONS"),
        "source": table("VFIOPM_EXIT_SOURCES"),
        "dstate": table("VFIOPM_DSTATES"),
        "pairing": list(pairing.values()),
        "reason_pairing": reason_pairing,
    }


# the printed field -> the contract's table
FIELDS = {"op": "op", "reason": "reason", "source": "source", "from": "dstate", "to": "dstate"}
# pci_power_t has one value no array can index: PCI_POWER_ERROR
EXTRA = {"dstate": {-1: "error"}}


def symbolic_tables(fmt):
    """{field: {value: name}} of every __print_symbolic(REC->field, ...) in a print fmt"""
    out = {}
    for m in re.finditer(r"__print_symbolic\(\s*REC->(\w+)\s*,", fmt):
        depth, i = 1, m.end()
        while i < len(fmt) and depth:	# to the matching parenthesis: values are expressions
            depth += {"(": 1, ")": -1}.get(fmt[i], 0)
            i += 1
        table = {}
        for expr, name in re.findall(r"\{\s*([^{}]*?)\s*,\s*\"([^\"]+)\"\s*\}", fmt[m.end():i]):
            nums = re.findall(r"-?\d+", expr)
            if nums:
                table[int(nums[-1])] = name
        out[m.group(1)] = table
    return out


def tap(ok, name):
    print(("ok - " if ok else "not ok - ") + name)
    return ok


def check_formats(c, directory):
    good, seen = True, 0
    for event in sorted(os.listdir(directory)):
        text = open(os.path.join(directory, event), encoding="utf-8").read()
        fmt = text[text.find("print fmt:"):]
        for field, table in sorted(symbolic_tables(fmt).items()):
            want = FIELDS.get(field)
            if not want:
                continue
            expect = {**c[want], **EXTRA.get(want, {})}
            seen += 1
            good &= tap(table == expect, f"contract: {event} {field} values and names match the "
                        f"kernel's format file" + ("" if table == expect else f" (kernel {table}, contract {expect})"))
    good &= tap(seen >= 6, f"contract: {seen} symbolic fields found in the format files")
    return good


def check_copies(c, files):
    good = True
    for path in files:
        text = open(path, encoding="utf-8").read()
        for field in ("op", "reason", "source"):
            found = {int(n): name for n, name in re.findall(r"@%s\[(\d+)\]\s*=\s*\"(\w+)\"" % field, text)}
            if found:
                good &= tap(found == c[field], f"contract: {os.path.basename(path)} @{field} table matches"
                            + ("" if found == c[field] else f" ({found})"))
        names = set(re.findall(r"@outstanding\[[^\]]*\"(\w+)\"\]", text))
        if names:
            bad = names - set(c["pairing"])
            good &= tap(not bad, f"contract: {os.path.basename(path)} pairings {sorted(names)} are the "
                        "contract's" + (f" (not: {sorted(bad)})" if bad else ""))
    return good


def main(argv):
    c = load()
    if argv[:1] == ["--dump"]:
        print(json.dumps(c, indent=1))
        return 0
    if len(argv) == 2 and argv[0] == "--formats":
        return 0 if check_formats(c, argv[1]) else 1
    if len(argv) >= 2 and argv[0] == "--copies":
        return 0 if check_copies(c, argv[1:]) else 1
    print(__doc__.strip(), file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
