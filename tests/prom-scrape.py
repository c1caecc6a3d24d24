#!/usr/bin/env python3
"""A real scrape, all on 127.0.0.1: node_exporter serves the .prom files of
DIR through its textfile collector, a Prometheus server scrapes it every
second, and QUERY goes through Prometheus's HTTP API.

  tests/prom-scrape.py DIR QUERY [--timeout SECS]

Prints one TAP line per step and, last, the query's result as JSON
(`result: [...]`). Exit 0 when the exporter served vfiopm_ metrics and the
query returned at least one sample; 1 otherwise. Both servers are killed on
every path, and everything is bounded by --timeout (default 60 s)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def until(deadline, fn):
    while time.monotonic() < deadline:
        try:
            v = fn()
            if v:
                return v
        except OSError:
            pass
        time.sleep(0.3)
    return None


def main():
    args = sys.argv[1:]
    timeout = 60
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    textdir, query = args
    deadline = time.monotonic() + timeout
    work = tempfile.mkdtemp(prefix="vfiopm-prom.")
    ne_port, prom_port = free_port(), free_port()
    procs = []
    failed = False

    def tap(ok, text):
        nonlocal failed
        print(("ok - " if ok else "not ok - ") + text, flush=True)
        failed |= not ok

    try:
        procs.append(subprocess.Popen(
            ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{ne_port}",
             "--collector.disable-defaults", "--collector.textfile",
             f"--collector.textfile.directory={textdir}"],
            stdout=open(f"{work}/node-exporter.log", "w"), stderr=subprocess.STDOUT))
        body = until(deadline, lambda: get(f"http://127.0.0.1:{ne_port}/metrics"))
        lines = [l for l in (body or "").splitlines() if l.startswith("vfiopm_")]
        errors = [l for l in (body or "").splitlines()
                  if l.startswith("node_textfile_scrape_error") and not l.endswith(" 0")]
        tap(bool(lines) and not errors,
            f"node_exporter textfile collector serves {len(lines)} vfiopm_ samples"
            f"{', scrape error: ' + errors[0] if errors else ''}")
        with open(f"{work}/prometheus.yml", "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: node\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{ne_port}']\n")
        procs.append(subprocess.Popen(
            ["prometheus", f"--config.file={work}/prometheus.yml",
             f"--storage.tsdb.path={work}/data", f"--web.listen-address=127.0.0.1:{prom_port}"],
            stdout=open(f"{work}/prometheus.log", "w"), stderr=subprocess.STDOUT))
        url = (f"http://127.0.0.1:{prom_port}/api/v1/query?"
               + urllib.parse.urlencode({"query": query}))

        def answered():
            r = json.loads(get(url))
            return r["data"]["result"] if r.get("status") == "success" else None
        result = until(deadline, answered)
        tap(bool(result), f"Prometheus scraped the exporter and answers {query} "
            f"({len(result or [])} series)")
        print("result: " + json.dumps(result or []))
    finally:
        for p in procs:
            p.kill()
            p.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
