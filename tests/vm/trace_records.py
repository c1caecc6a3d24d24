# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Reading a VM tier's result files and vfiopm-trace's JSON records (docs/json.md)."""
import json


def read(out, name):
    """a result file's text, stripped; "" when it is missing"""
    try:
        return open(f"{out}/{name}").read().strip()
    except OSError:
        return ""


def records(out, name):
    """the JSON records of a vfiopm-trace --json output; a bad line is a bad-json record"""
    recs = []
    for line in read(out, name).splitlines():
        try:
            recs.append(json.loads(line))
        except ValueError:
            recs.append({"type": "bad-json", "line": line[:80]})
    return recs


def flagged(recs):
    """flag records and flagged events (a get made before tracing is no flag)"""
    return [r for r in recs if r.get("type") == "flag" or
            set(r.get("flags", "").split(",")) - {"", "get-before-trace"}]


def summary(recs, bdf):
    """the final summary record of device bdf, {} if none"""
    s = [r for r in recs if r.get("type") == "summary" and r.get("final") and r.get("dev") == bdf]
    return s[0] if s else {}
