#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""The tables of bench/vfiopm-trace.sh from a results directory.

    bench/report.py DIR READS

DIR/results, one line per measurement, in the order they were taken:
    round N                              a wall-clock round begins
    NAME OPS_PER_S                       one config-read loop (NAME none: untraced)
    cpu NAME CLASS OPS NS RECORDS        the reader's CPU time over one loop
    cycle NAME SECONDS CYCLES RC         one loop of low-power cycles
    stats ROUND ORDER CLASS OPS A B      one stats loop between DIR/progs.A.json and .B.json
    parallel OPS_PER_S                   two loops at once under --json
Python 3 standard library only; intervals are Student t intervals (table below)
on the logarithms of per-round or per-loop ratios, i.e. around a geometric mean.
"""
import collections
import json
import math
import os
import re
import statistics
import sys

out, reads = sys.argv[1], int(sys.argv[2])

# two-sided 95 %: t quantile 0.975 by degrees of freedom
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    if df <= 30:
        return T975[df - 1]
    # the next smaller tabulated df: a little wider than exact, never narrower
    return 2.042 if df < 40 else 2.021 if df < 60 else 2.000 if df < 120 else 1.980


def geo_ci(ratios):
    """(geometric mean, lo, hi) of positive ratios; lo, hi None below 2 values."""
    ratios = [r for r in ratios if r > 0]
    if not ratios:
        return None, None, None
    logs = [math.log(r) for r in ratios]
    m = statistics.fmean(logs)
    if len(logs) < 2:
        return math.exp(m), None, None
    h = t975(len(logs) - 1) * statistics.stdev(logs) / math.sqrt(len(logs))
    return math.exp(m), math.exp(m - h), math.exp(m + h)


def fmt_ci(lo, hi, digits=2):
    return "–" if lo is None else f"[{lo:.{digits}f}, {hi:.{digits}f}]"


def read_text(name):
    try:
        return open(os.path.join(out, name)).read()
    except OSError:
        return ""


command = read_text("command").strip() or "(not recorded: a run before bench/report.py)"
again = f"bench/vfiopm-trace.sh --report {out} {reads}"


def header(title):
    print(f"\n### {title}\n")
    print(f"Command: `{command}`; these tables again: `{again}`\n")


configs = collections.OrderedDict()
for line in read_text("configs").splitlines():
    name, _, cmd = line.partition("\t")
    configs[name] = cmd

# ---- results, in order ----
seq = []	# (round, name, ops/s) of config-read loops, in order
cpu = collections.defaultdict(list)	# (name, class) -> [(ops, ns, records)]
cycles = collections.defaultdict(list)	# name -> [seconds per cycle]
stats = []	# (round, order, class, ops, a, b)
parallel = []
rnd = 0
for line in read_text("results").splitlines():
    f = line.split()
    if not f:
        continue
    if f[0] == "round":
        rnd = int(f[1])
    elif f[0] == "cpu" and len(f) == 6:
        cpu[(f[1], f[2])].append((int(f[3]), int(f[4]), int(f[5])))
    elif f[0] == "cycle" and len(f) == 5:
        if f[4] == "0":
            cycles[f[1]].append(float(f[2]) / int(f[3]))
    elif f[0] == "stats" and len(f) == 7:
        stats.append((int(f[1]), f[2], f[3], int(f[4]), int(f[5]), int(f[6])))
    elif f[0] == "parallel":
        parallel.append(float(f[1]))
    elif len(f) == 2 and f[0] != "stats":	# (old results: "stats OPS" per-program loops)
        seq.append((rnd, f[0], float(f[1])))
        if f[0] not in configs and f[0] != "none":
            configs[f[0]] = ""


def lost(name):
    text = read_text(f"{name}.out")
    if not text or not name.startswith(("vfiopm", "rate")):
        return "-"
    n = sum(int(m) for m in re.findall(r"lost events: (\d+)", text))
    for line in text.splitlines():
        if line.startswith('{"type":"lost"'):
            try:
                n += json.loads(line).get("count", 0)
            except ValueError:
                pass
    return str(n)


# ---- 1. in-kernel cost ----
def snapshot(i):
    try:
        return {p["id"]: p for p in json.load(open(os.path.join(out, f"progs.{i}.json")))
                if "run_cnt" in p}
    except (OSError, ValueError):
        return {}


def floor_ids(s):
    return {int(m) for m in re.findall(r"^floor: prog (\d+) ", read_text(f"floor.{s}.out"), re.M)}


hook_events = {}	# class -> hook runs per op (floor), for the CPU table
if stats:
    per_class = collections.OrderedDict()	# class -> [loop], loop = (order, ops, {side: {name: (runs, ns)}})
    fids = {}
    for s, order, cls, ops, a, b in stats:
        if s not in fids:
            fids[s] = floor_ids(s)
        sa, sb = snapshot(a), snapshot(b)
        sides = {"trace": {}, "floor": {}}
        for pid, p in sb.items():
            q = sa.get(pid, {})
            runs = p["run_cnt"] - q.get("run_cnt", 0)
            if runs <= 0:
                continue
            side = "floor" if pid in fids[s] else "trace"
            sides[side][p["name"]] = (runs, p["run_time_ns"] - q.get("run_time_ns", 0))
        per_class.setdefault(cls, []).append((order, ops, sides))
    unit = {"read": "config read", "cycle": "low-power cycle"}
    for cls, loops in per_class.items():
        ops_desc = f"{reads} reads" if cls == "read" else f"{loops[0][1]} cycles"
        header(f"In-kernel cost per {unit.get(cls, cls)}: vfiopm-trace (default view) against "
               f"the floor (bench/floor: an empty program on the same hook, attached at the same time)")
        print(f"kernel.bpf_stats_enabled=1; {len(loops)} loops of {ops_desc} in "
              f"{len(set(s for s, *_ in stats))} rounds (attach order swapped each round); "
              f"medians over the loops.\n")
        names = sorted({n for _, _, sd in loops for side in sd.values() for n in side})
        rows = []
        for n in names:
            def med(side, f):
                v = [f(sd[side][n], ops) for _, ops, sd in loops if n in sd[side]]
                return statistics.median(v) if v else None
            runs_op = med("trace", lambda x, ops: x[0] / ops)
            if runs_op is None:
                runs_op = med("floor", lambda x, ops: x[0] / ops)
            ns_run = med("trace", lambda x, ops: x[1] / x[0])
            ns_op = med("trace", lambda x, ops: x[1] / ops)
            f_run = med("floor", lambda x, ops: x[1] / x[0])
            beyond = [(sd["trace"][n][1] - sd["floor"][n][1]) / ops for _, ops, sd in loops
                      if n in sd["trace"] and n in sd["floor"]]
            f_op = med("floor", lambda x, ops: x[1] / ops)
            rows.append((ns_op or 0, n, runs_op, ns_run, f_run, f_op,
                         statistics.median(beyond) if beyond else None))
        print("| program | runs/op | ns/run | floor ns/run | ns/op | floor ns/op | beyond floor ns/op |")
        print("|---|---|---|---|---|---|---|")
        d = lambda v, f="{:.0f}": "-" if v is None else f.format(v)
        for ns_op, n, runs_op, ns_run, f_run, f_op, beyond in sorted(rows, reverse=True):
            print(f"| {n} | {d(runs_op, '{:.3g}')} | {d(ns_run)} | {d(f_run)} | {d(ns_op or None)} | "
                  f"{d(f_op)} | {d(beyond)} |")
        tot = lambda side, i: [sum(v[i] for v in sd[side].values()) / ops for _, ops, sd in loops]
        t_ns, f_ns = tot("trace", 1), tot("floor", 1)
        t_runs, f_runs = tot("trace", 0), tot("floor", 0)
        hook_events[cls] = statistics.median(f_runs)
        print(f"| **total** | {statistics.median(t_runs):.3g} | | | **{statistics.median(t_ns):.0f}** | "
              f"{statistics.median(f_ns):.0f} | "
              f"**{statistics.median([a - b for a, b in zip(t_ns, f_ns)]):.0f}** |")
        ratios = [a / b for a, b in zip(t_ns, f_ns) if b > 0]
        g, lo, hi = geo_ci(ratios)
        if g is not None:
            print(f"\nTotal BPF ns per {unit.get(cls, cls)}: {statistics.median(t_ns):.0f} vs floor "
                  f"{statistics.median(f_ns):.0f} = **{g:.2f}x**, 95 % interval {fmt_ci(lo, hi)} "
                  f"over {len(ratios)} loops (geometric mean of the per-loop ratios).")
            by = collections.defaultdict(list)
            for (order, ops, sd), r in zip(loops, ratios):
                by[order].append(r)
            if len(by) > 1:
                print("By attach order: " + ", ".join(
                    f"{o} {geo_ci(v)[0]:.2f}x ({len(v)} loops)" for o, v in sorted(by.items())) + ".")
            if cls == "read":
                if hi is not None and hi <= 2:
                    verdict = "met: the whole interval is at or below 2x"
                elif lo is not None and lo > 2:
                    verdict = "not met: the whole interval is above 2x"
                elif lo is None:
                    verdict = "cannot tell from one loop"
                else:
                    verdict = "cannot tell: the interval includes 2x"
                print(f"Goal, total BPF time per config read ≤ 2x the empty programs' total: {verdict}.")

# ---- 2. userspace CPU time of the reader ----
if cpu:
    header("Userspace CPU time of the reader, per operation and per record")
    print("The tracer process's CPU clock (user + system, all threads: bench/cputime) over "
          "one loop, read once the reader had caught up (its clock standing still); "
          "geometric mean over the rounds with its 95 % interval; records per op and per record: medians. A hook event is one run of a floor program "
          "(table above): what the kernel hands the tracer's programs per operation. "
          "Records: lines the tracer wrote during the loop (not for bpftrace, whose output "
          "to a file is block-buffered, nor for -w, whose records are binary).\n")
    print("| configuration | class | CPU µs/op | 95 % interval | ns per hook event | records/op | CPU µs/record |")
    print("|---|---|---|---|---|---|---|")
    order = [c for c in configs if c != "floor"]
    for cls in ("read", "cycle"):
        for name in order:
            v = cpu.get((name, cls))
            if not v:
                continue
            per_op = [ns / ops / 1e3 for ops, ns, _ in v]
            g, lo, hi = geo_ci(per_op) if min(per_op) > 0 else (statistics.median(per_op), None, None)
            # bpftrace's stdout to a file is block-buffered: its lines are not a count;
            # -w writes binary records
            countable = not configs.get(name, "").startswith("bpftrace") and not name.endswith("-w")
            rec = [r / ops for ops, _, r in v]
            per_rec = [ns / r / 1e3 for ops, ns, r in v if r > 0]
            ev = hook_events.get(cls)
            m = g
            print(f"| {name} | {cls} | {m:.2f} | {fmt_ci(lo, hi)} | "
                  f"{'-' if not ev else f'{m * 1e3 / ev:.0f}'} | "
                  f"{f'{statistics.median(rec):.3g}' if countable else '-'} | "
                  f"{f'{statistics.median(per_rec):.1f}' if countable and per_rec else '-'} |")

# ---- 3. wall clock ----
if seq:
    # each traced loop against the untraced loops just before and after it
    ratios = collections.defaultdict(dict)	# name -> {round: slowdown}
    ops = collections.defaultdict(list)
    for i, (r, name, v) in enumerate(seq):
        ops[name].append(v)
        if name == "none":
            continue
        near = []
        for j in (range(i - 1, -1, -1), range(i + 1, len(seq))):
            for k in j:
                if seq[k][1] == "none" and seq[k][0] == r:
                    near.append(seq[k][2])
                    break
        if near:
            ref = math.exp(statistics.fmean(math.log(x) for x in near))
            ratios[name][r] = ref / v
    n_rounds = len({r for r, _, _ in seq})
    header(f"Wall clock: config reads, {n_rounds} interleaved rounds of {reads} reads per loop")
    new_format = bool(stats or cpu)
    print("Slowdown: time per read over that of the untraced loops just before and after "
          f"({'of 5 x READS reads, ' if new_format else ''}same round); geometric mean over "
          "the rounds with its 95 % interval.\n")
    print("| configuration | reads/s (median) | µs/read | slowdown vs untraced | 95 % interval | rounds | lost events |")
    print("|---|---|---|---|---|---|---|")
    none = ops.get("none", [])
    if none:
        m = statistics.median(none)
        print(f"| none ({len(none)} loops: {min(none):.0f}–{max(none):.0f} reads/s) | {m:.0f} | "
              f"{1e6 / m:.2f} | 1 | | | - |")
    slow = {}
    for name in configs:
        if name in ("floor", "none") or not ops.get(name):
            continue
        m = statistics.median(ops[name])
        g, lo, hi = geo_ci(list(ratios[name].values()))
        slow[name] = g
        print(f"| {name} | {m:.0f} | {1e6 / m:.2f} | {'-' if g is None else f'{g:.2f}x'} | "
              f"{fmt_ci(lo, hi)} | {len(ratios[name])} | {lost(name)} |")

    def compare(a, b):
        """per-round time-per-read ratio a/b: (sentence, g, lo, hi, n)"""
        rs = [dict((r, v) for r, n, v in seq if n == x) for x in (a, b)]
        common = sorted(set(rs[0]) & set(rs[1]))
        g, lo, hi = geo_ci([rs[1][r] / rs[0][r] for r in common])
        if g is None:
            return None
        if lo is None:
            s = f"cannot rank {a} and {b}: one round"
        elif hi < 1:
            s = f"{a} is faster than {b}"
        elif lo > 1:
            s = f"{a} is slower than {b}"
        else:
            s = f"cannot rank {a} and {b}: the 95 % interval [{lo:.2f}, {hi:.2f}] includes 1"
        return s, g, lo, hi, len(common)

    pairs = [("vfiopm-trace-json", "bpftrace-print"), ("vfiopm-trace-w", "bpftrace-print"),
             ("vfiopm-trace", "bpf-empty"), ("vfiopm-trace", "bpftrace-count"),
             ("vfiopm-trace-json-no-rw", "bpftrace-count"), ("vfiopm-trace-w", "vfiopm-trace-json")]
    if "vfiopm-trace-base" in ops:
        pairs += [("vfiopm-trace", "vfiopm-trace-base"), ("vfiopm-trace-json", "vfiopm-trace-json-base")]
    rows = [(a, b, compare(a, b)) for a, b in pairs if ops.get(a) and ops.get(b)]
    if rows:
        header("Wall clock: pairs, round by round")
        print("Time per read of A over that of B in the same round (A's loop and B's loop "
              "seconds to a minute apart); geometric mean over the rounds, 95 % interval.\n")
        print("| A | B | A/B time per read | 95 % interval | rounds | verdict |")
        print("|---|---|---|---|---|---|")
        for a, b, c in rows:
            if c:
                s, g, lo, hi, n = c
                print(f"| {a} | {b} | {g:.2f} | {fmt_ci(lo, hi)} | {n} | {s} |")
    ranked = sorted((g, n) for n, g in slow.items() if g is not None)
    if len(ranked) > 1:
        print("\nRanking by slowdown, fastest first; between neighbours `<` where the round-by-round "
              "interval ranks them, `?` where it does not:\n")
        parts = [ranked[0][1]]
        for (_, a), (_, b) in zip(ranked, ranked[1:]):
            c = compare(b, a)
            parts.append("<" if c and c[2] is not None and c[2] > 1 else "?")
            parts.append(b)
        print("    " + " ".join(parts))

if cycles:
    print("\nLow-power cycles (entry wait-d3 read wait-d3 exit), wall clock per cycle, median: " +
          ", ".join(f"{n} {statistics.median(v) * 1e3:.0f} ms" for n, v in cycles.items()) +
          " (dominated by the waits: not a tracer cost).")
if parallel:
    print(f"\nTwo loops at once under `vfiopm-trace --json`: {parallel[0]:.0f} reads/s, "
          f"{2 * parallel[0]:.0f} events/s, lost events: {lost('rate')}")
if any(configs.values()):
    print("\nConfigurations (tracer command in the guest):\n")
    for n, c in configs.items():
        print(f"- {n}: `{c}`" if c else f"- {n}")
notes = (read_text("host-notes") + read_text("notes")).strip()
if notes:
    print("\nNotes from the run:\n")
    for line in notes.splitlines():
        print(f"- {line}")
secs = read_text("seconds").strip()
if secs:
    print(f"\nThe whole run (VM boot to report) took {int(secs) // 60} min {int(secs) % 60} s.")
