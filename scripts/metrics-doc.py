#!/usr/bin/env python3
"""Check docs/metrics.md against tools/lib/metrics.h, the one list of the
Prometheus metrics: the same names, each with the same type and labels.

  scripts/metrics-doc.py [--doc FILE] [--header FILE]

One TAP line per check; exit 1 on any difference."""
import argparse
import os
import re
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--doc", default=f"{top}/docs/metrics.md")
ap.add_argument("--header", default=f"{top}/tools/lib/metrics.h")
a = ap.parse_args()

header = {m[0]: (m[1], set(filter(None, m[2].split(","))))
          for m in re.findall(r'X\(\w+, "(\w+)", "(\w+)", "([\w,]*)"', open(a.header).read())}
doc = {}
for line in open(a.doc):
    m = re.match(r"\| `(vfiopm_\w+)` \| (\w+) \|([^|]*)\|", line)
    if m:
        doc[m[1]] = (m[2], set(re.findall(r"`(\w+)`", m[3])))
failed = False


def tap(ok, text):
    global failed
    print(("ok - " if ok else "not ok - ") + text)
    failed |= not ok


tap(len(header) > 0, f"metrics: {len(header)} metrics in {os.path.relpath(a.header, top)}")
missing = sorted(set(header) - set(doc))
extra = sorted(set(doc) - set(header))
tap(not missing, "metrics: every metric is documented" + (f": missing {', '.join(missing)}" if missing else ""))
tap(not extra, "metrics: the page documents no metric the tools lack" + (f": {', '.join(extra)}" if extra else ""))
diff = [f"{n} ({doc[n][0]} {sorted(doc[n][1])} != {header[n][0]} {sorted(header[n][1])})"
        for n in sorted(set(header) & set(doc)) if doc[n] != header[n]]
tap(not diff, "metrics: types and labels agree" + (f": {'; '.join(diff)}" if diff else ""))
sys.exit(1 if failed else 0)
