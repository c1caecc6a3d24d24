#!/usr/bin/env python3
"""Regenerate the crafted vfiopm-check logs in this directory.

Each log is NAME.EXPECT.EXT: EXPECT is the verdict vfiopm-check must reach
(balanced -> exit 0, imbalance -> 1, inconclusive -> 2, usage -> 64) and EXT
the format (trace: tracefs trace file, pipe: trace_pipe, tcreport: trace-cmd
report, perf: perf script, jsonl: vfiopm-trace --json). expect/LOG.grep holds
extended regexps the human report must contain. Golden logs captured from the
VM can sit next to these: tests/host/20-vfiopm-check.sh checks every
*.balanced.* file it finds.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
A, B = "0000:00:02.0", "0000:00:03.0"
SYS = {"vfio_device_pm_get": "vfio", "vfio_device_pm_put": "vfio"}


class Log:
    def __init__(self, t0=10.0):
        self.ev = []
        self.t = t0

    def at(self, dt=0.00001):
        self.t += dt
        return self.t

    def e(self, name, payload, comm="kselftest", pid=123, cpu=1, dt=0.00001, ts=None):
        self.ev.append((self.at(dt) if ts is None else ts, cpu, comm, pid, name, payload))

    def noise(self, text="prev_comm=kselftest prev_pid=123 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120", cpu=1):
        self.ev.append((self.at(), cpu, "kselftest", 123, "sched_switch", text))

    # --- building blocks (usage_count after the change, as the kernel reports it)
    def dev_get(self, dev, uc, cmd=0x3b75, ret=0, **kw):
        self.e("vfio_device_pm_get", f"{dev} usage_count={uc} cmd={cmd:#x} ret={ret}", **kw)

    def dev_put(self, dev, uc, cmd=0x3b75, ret=0, **kw):
        self.e("vfio_device_pm_put", f"{dev} usage_count={uc} cmd={cmd:#x} ret={ret}", **kw)

    def pci(self, getput, dev, uc, op, reason, ret=0, **kw):
        self.e(f"vfio_pci_pm_{getput}", f"{dev} usage_count={uc} op={op} reason={reason} ret={ret}", **kw)

    def rt(self, which, dev, uc, engaged=0, wake=0, **kw):
        self.e(f"vfio_pci_runtime_{which}", f"{dev} usage_count={uc} engaged={engaged} wake_armed={wake} intx_masked=0", **kw)

    def setps(self, dev, uc, **kw):
        self.e("vfio_pci_set_power_state", f"{dev} usage_count={uc} from=D0 to=D0 ret=0", **kw)

    def register(self, dev, uc=0):
        self.pci("put", dev, uc, "put", "register", comm="sh", pid=50, cpu=0)
        self.setps(dev, uc, comm="sh", pid=50, cpu=0)
        self.rt("suspend", dev, uc, comm="kworker/0:1", pid=20, cpu=0, dt=0.01)

    def open(self, dev, base=0, **kw):
        self.rt("resume", dev, base + 1, dt=0.5, **kw)
        self.pci("get", dev, base + 1, "resume_and_get", "enable", **kw)
        self.setps(dev, base + 1, **kw)

    def ioctl(self, dev, held, cmd=0x3b6b, **kw):
        self.dev_get(dev, held + 1, cmd, **kw)
        self.dev_put(dev, held, cmd, **kw)

    def region(self, dev, held, **kw):
        self.pci("get", dev, held + 1, "resume_and_get", "region_rw", **kw)
        self.pci("put", dev, held, "put", "region_rw", **kw)

    def lp_entry(self, dev, held, wakeup=1, **kw):
        # held = count with the session reference
        self.dev_get(dev, held + 1, **kw)
        self.pci("put", dev, held, "put_noidle", "low_power_entry", **kw)
        self.e("vfio_pci_low_power_entry", f"{dev} usage_count={held} with_wakeup={wakeup} ret=0", **kw)
        self.dev_put(dev, held - 1, **kw)
        self.setps(dev, held - 1, comm="kworker/0:1", pid=20, cpu=0, dt=0.002)
        self.rt("suspend", dev, held - 1, engaged=1, wake=wakeup, comm="kworker/0:1", pid=20, cpu=0)

    def wake_by_read(self, dev, base=0, **kw):
        self.rt("resume", dev, base + 1, engaged=1, wake=1, dt=0.3, **kw)
        self.e("vfio_pci_wake_signal", f"{dev} usage_count={base + 1}", **kw)
        self.pci("get", dev, base + 2, "get_noresume", "low_power_exit", **kw)
        self.e("vfio_pci_low_power_exit", f"{dev} usage_count={base + 2} source=wake wake_armed=1", **kw)
        self.pci("get", dev, base + 2, "resume_and_get", "region_rw", **kw)
        self.pci("put", dev, base + 1, "put", "region_rw", **kw)

    def exit_by_ioctl(self, dev, base=0, **kw):
        self.rt("resume", dev, base + 1, engaged=1, dt=0.3, **kw)
        self.dev_get(dev, base + 1, **kw)
        self.pci("get", dev, base + 2, "get_noresume", "low_power_exit", **kw)
        self.e("vfio_pci_low_power_exit", f"{dev} usage_count={base + 2} source=ioctl wake_armed=0", **kw)
        self.dev_put(dev, base + 1, **kw)

    def close(self, dev, base=0, **kw):
        self.pci("put", dev, base, "put", "disable", **kw)
        self.rt("suspend", dev, base, comm="kworker/0:1", pid=20, cpu=0, dt=0.01)

    def close_engaged(self, dev, base=0, **kw):
        self.pci("get", dev, base + 1, "get_noresume", "low_power_exit", dt=0.2, **kw)
        self.e("vfio_pci_low_power_exit", f"{dev} usage_count={base + 1} source=disable wake_armed=0", **kw)
        self.rt("resume", dev, base + 1, **kw)
        self.close(dev, base, **kw)

    # --- renderers
    def sorted(self):
        return sorted(self.ev, key=lambda x: x[0])

    def ftrace_line(self, ev, tgid=False, irqinfo=True):
        ts, cpu, comm, pid, name, payload = ev
        task = f"{comm}-{pid}".rjust(16 + 1 + 5 - 5)
        left = f"{comm:>16}-{pid:<7}"
        if tgid:
            left += f"({pid:>7}) "
        flags = " ....." if irqinfo else ""
        return f"{left}[{cpu:03d}]{flags} {ts:12.6f}: {name}: {payload}"

    def trace(self, header=True, lost_entries=None, tgid=False, irqinfo=True, extra_header=()):
        out = []
        if header:
            n = len(self.ev)
            w = lost_entries if lost_entries else n
            out += ["# tracer: nop", "#", f"# entries-in-buffer/entries-written: {n}/{w}   #P:2", "#"]
            out += list(extra_header)
            out += ["#                                _-----=> irqs-off/BH-disabled",
                    "#                               / _----=> need-resched",
                    "#                              | / _---=> hardirq/softirq",
                    "#                              || / _--=> preempt-depth",
                    "#                              ||| / _-=> migrate-disable",
                    "#                              |||| /     delay",
                    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
                    "#              | |         |   |||||     |         |"]
        out += [self.ftrace_line(e, tgid, irqinfo) for e in self.sorted()]
        return "\n".join(out) + "\n"

    def tcreport(self, latency=False):
        out = ["cpus=2"]
        for ts, cpu, comm, pid, name, payload in self.sorted():
            lat = " d..1." if latency else ""
            out.append(f"{comm:>16}-{pid:<5} [{cpu:03d}]{lat} {ts:.6f}: {name + ':':<20} {payload}")
        return "\n".join(out) + "\n"

    def perf(self):
        out = []
        for ts, cpu, comm, pid, name, payload in self.sorted():
            sysname = SYS.get(name, "vfio_pci" if name.startswith("vfio_pci") else "sched")
            out.append(f"{comm:>16} {pid:>6} [{cpu:03d}] {ts:12.6f}: {sysname}:{name}: {payload}")
        return "\n".join(out) + "\n"

    def jsonl(self):
        out = []
        for ts, cpu, comm, pid, name, payload in self.sorted():
            if not name.startswith("vfio"):
                continue
            parts = payload.split()
            rec = {"type": "event", "ts": int(round(ts * 1e9)), "cpu": cpu, "pid": pid, "comm": comm,
                   "event": name, "dev": parts[0]}
            for kv in parts[1:]:
                k, v = kv.split("=", 1)
                if k == "cmd":
                    rec[k] = int(v, 16)
                elif v.lstrip("-").isdigit():
                    rec[k] = int(v)
                else:
                    rec[k] = v
            out.append(json.dumps(rec, separators=(",", ":")))
        return "\n".join(out) + "\n"


def lifecycle(log, dev=A, **kw):
    log.register(dev)
    log.open(dev, **kw)
    log.noise()
    log.ioctl(dev, 1, **kw)
    log.region(dev, 1, **kw)
    log.lp_entry(dev, 1, wakeup=1, **kw)
    log.wake_by_read(dev, **kw)
    log.lp_entry(dev, 1, wakeup=0, **kw)
    log.exit_by_ioctl(dev, **kw)
    log.noise()
    log.close(dev, **kw)
    # second session that closes while in low power: exit source=disable
    log.open(dev, **kw)
    log.lp_entry(dev, 1, wakeup=0, **kw)
    log.close_engaged(dev, **kw)
    return log


files = {}


def put(name, text, *greps):
    files[name] = (text, greps)


# ---------------------------------------------------------------- balanced
L = lifecycle(Log())
put("lifecycle.balanced.trace", L.trace(), r"0000:00:02\.0: balanced", r"result: balanced \(exit 0\)")
put("lifecycle.balanced.pipe", L.trace(header=False), r"\(ftrace\)", r"result: balanced")
put("lifecycle.balanced.tcreport", L.tcreport(), r"\(ftrace\)", r"result: balanced")
put("lifecycle-latency.balanced.tcreport", L.tcreport(latency=True), r"result: balanced")
put("lifecycle.balanced.perf", L.perf(), r"\(perf\)", r"result: balanced")
put("lifecycle.balanced.jsonl", L.jsonl(), r"\(json\)", r"result: balanced")
put("tgid-noirq.balanced.trace", L.trace(tgid=True, irqinfo=False), r"result: balanced")

# two devices, two tasks, interleaved, plus an unknown vfio event and a usage_count race
M = Log()
M.register(A)
M.register(B)
M.open(A)
M.open(B, comm="qemu", pid=200, cpu=0)
M.e("vfio_pci_future_event", f"{A} usage_count=1 something=1")
M.noise("comm=qemu pid=200 prio=120 target_cpu=000", cpu=0)
for i in range(3):
    M.ioctl(A, 1)
    M.ioctl(B, 1, comm="qemu", pid=200, cpu=0)
# race on A: two tasks' gets read the count after both increments (3, 3), then puts (2, 1)
t = M.at()
M.e("vfio_device_pm_get", f"{A} usage_count=3 cmd=0x3b6b ret=0", ts=t)
M.e("vfio_pci_pm_get", f"{A} usage_count=3 op=resume_and_get reason=region_rw ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000001)
M.e("vfio_pci_pm_put", f"{A} usage_count=1 op=put reason=region_rw ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000003)
M.e("vfio_device_pm_put", f"{A} usage_count=1 cmd=0x3b6b ret=0", ts=t + 0.000004)
M.close(A)
M.close(B, comm="qemu", pid=200, cpu=0)
# trace_pipe merges CPUs by timestamp; a few events come slightly late here
lines = M.trace(header=False).splitlines()
lines[12], lines[13] = lines[13], lines[12]
put("interleaved.balanced.pipe", "\n".join(lines) + "\n", r"0000:00:02\.0: balanced", r"0000:00:03\.0: balanced",
    r"1 unknown vfio events", r"result: balanced")

# a correct kernel under concurrency: counts read on other CPUs race the log
# (docs/design.md, F1, F2, F4); puts made before a suspend are logged after
# it; a sysfs config reader's invisible get_noresume lifts the count
C = Log()
C.register(A)
C.open(A)
C.ioctl(A, 1)
t = C.at(0.01)
C.e("vfio_pci_pm_get", f"{A} usage_count=4 op=resume_and_get reason=region_rw ret=0", ts=t)
C.e("vfio_pci_pm_get", f"{A} usage_count=4 op=resume_and_get reason=region_rw ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000001)
C.e("vfio_pci_pm_put", f"{A} usage_count=1 op=put reason=region_rw ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000002)
C.e("vfio_device_pm_get", f"{A} usage_count=1 cmd=0x3b6b ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000003)
C.e("vfio_device_pm_put", f"{A} usage_count=3 cmd=0x3b6b ret=0", comm="worker", pid=124, cpu=0, ts=t + 0.000004)
# low power: the ioctl's own put lets it idle; task 123's region put, made
# first, is logged after the suspend
C.lp_entry(A, 2, wakeup=0)
C.e("vfio_pci_pm_put", f"{A} usage_count=0 op=put reason=region_rw ret=0", dt=0.0001)
C.exit_by_ioctl(A)
# not engaged: the close is under way when the device suspends
C.e("vfio_pci_runtime_suspend", f"{A} usage_count=0 engaged=0 wake_armed=0 intx_masked=0", comm="kworker/0:1", pid=20, cpu=0, dt=0.01)
C.e("vfio_pci_pm_put", f"{A} usage_count=0 op=put reason=disable ret=0", dt=0.00001)
put("race.balanced.trace", C.trace(), r"0000:00:02\.0: balanced", r"result: balanced \(exit 0\)")

# log starts mid-session: only complete pairs inside it
S = Log()
S.ioctl(A, 1)
S.region(A, 1)
S.ioctl(A, 1, cmd=0x3b6c)
put("midsession.balanced.pipe", S.trace(header=False), r"usage_count 1 after the last event", r"result: balanced")

# bind, open, close, unbind
U = Log()
U.register(A)
U.open(A)
U.ioctl(A, 1)
U.close(A)
U.pci("get", A, 1, "get_noresume", "unregister", comm="sh", pid=51, cpu=0)
put("unbind.balanced.trace", U.trace(), r"result: balanced")

# SR-IOV and hot reset
R = Log()
R.register(A)
R.pci("get", A, 1, "resume_and_get", "sriov", comm="sh", pid=52, cpu=0)
R.pci("put", A, 0, "put", "sriov", comm="sh", pid=52, cpu=0)
R.open(A)
R.dev_get(A, 2, 0x3b71)
R.pci("get", A, 3, "resume_and_get", "reset")
R.pci("put", A, 2, "put", "reset")
R.dev_put(A, 1, 0x3b71)
R.close(A)
put("sriov-reset.balanced.trace", R.trace(), r"result: balanced")

# session still open at the end: balanced, but not idle (--expect-idle fails it)
O = Log()
O.register(A)
O.open(A)
O.ioctl(A, 1)
put("open-session.balanced.pipe", O.trace(header=False), r"note open_at_end \[session\]", r"result: balanced")

# ---------------------------------------------------------------- imbalance
X = Log(); X.register(A); X.open(A); X.ioctl(A, 1); X.dev_get(A, 2, 0x3b6e, comm="leaker", pid=321); X.ioctl(A, 2)
put("leak-ioctl.imbalance.trace", X.trace(),
    r"FAIL leak \[ioctl 0x3b6e VFIO_DEVICE_SET_IRQS\] task leaker-321 at [0-9.]+ \(line [0-9]+\) usage_count=2: 1 get\(s\) never put; oldest is [0-9.]+ s old",
    r"result: imbalance \(exit 1\)")

X = Log(); X.register(A); X.open(A); X.pci("get", A, 2, "resume_and_get", "region_rw"); X.ioctl(A, 2); X.noise()
put("leak-region.imbalance.perf", X.perf(), r"FAIL leak \[region\] task kselftest-123", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.ioctl(A, 1); X.close(A); X.dev_put(A, 0, 0x3b6b, ret=-22, comm="bad", pid=77)
put("underflow-ret.imbalance.trace", X.trace(),
    r"FAIL underflow \[ioctl\] task bad-77 .*put returned -EINVAL", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.ioctl(A, 1); X.close(A); X.dev_put(A, 0, 0x3b6b, ret=-22, comm="bad", pid=77)
t = X.trace().splitlines()
t.insert(len(t) - 3, "CPU:1 [LOST 7 EVENTS]")
put("underflow-lost.imbalance.trace", "\n".join(t) + "\n", r"FAIL underflow", r"INCONCLUSIVE lost_events", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.close(A); X.pci("put", A, 0, "put_noidle", "low_power_entry")
put("underflow-noidle.imbalance.jsonl", X.jsonl(), r"FAIL underflow \[low_power_entry\].*put_noidle left usage_count at 0", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.ioctl(A, 1); X.dev_put(A, 0, 0x3b6c, comm="other", pid=99); X.dev_get(A, 1, 0x3b6c, comm="other", pid=99)
put("underflow-put.imbalance.pipe", X.trace(header=False), r"FAIL underflow \[ioctl 0x3b6c VFIO_DEVICE_GET_REGION_INFO\] task other-99.*put with no matching get", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.close(A); X.pci("put", A, 0, "put", "region_rw", comm="ghost", pid=5)
put("below-zero.imbalance.pipe", X.trace(header=False), r"FAIL underflow \[region\] task ghost-5.*put with no matching get", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.ioctl(A, 1)
# someone outside vfio takes a reference: every later count is one higher
X.ioctl(A, 2, dt=0.02); X.ioctl(A, 2, dt=0.02); X.region(A, 2, dt=0.02)
X.pci("put", A, 1, "put", "disable", dt=0.02)
put("unexplained.imbalance.trace", X.trace(),
    r"FAIL active_unowned .*usage_count=1 at end of log while vfio holds no reference",
    r"result: imbalance")

# something drops the session's reference: the device suspends while the
# session holds it and low power is not engaged; the closing task had made
# other events since, so its put was not in flight
X = Log(); X.register(A); X.open(A); X.ioctl(A, 1)
X.rt("suspend", A, 0, comm="kworker/0:1", pid=20, cpu=0, dt=0.01)
X.rt("resume", A, 1, dt=0.3); X.region(A, 0); X.pci("put", A, 0, "put", "disable", ret=-22)
put("held-at-suspend.imbalance.trace", X.trace(),
    r"FAIL held_at_suspend \[session\] task kselftest-123 .*runtime-suspended while the open session held",
    r"FAIL underflow", r"result: imbalance")

# the same for a task's region reference: its task's next event is not its put
X = Log(); X.register(A); X.open(A); X.lp_entry(A, 1, wakeup=0)
X.rt("resume", A, 1, engaged=1, dt=0.3)
X.pci("get", A, 1, "resume_and_get", "region_rw", comm="reader", pid=130)
X.rt("suspend", A, 0, engaged=1, comm="kworker/0:1", pid=20, cpu=0, dt=0.01)
X.dev_get(A, 1, 0x3b6b, comm="reader", pid=130); X.dev_put(A, 0, 0x3b6b, comm="reader", pid=130)
X.pci("put", A, 0, "put", "region_rw", comm="reader", pid=130, ret=-22)
put("held-at-suspend-region.imbalance.pipe", X.trace(header=False),
    r"FAIL held_at_suspend \[region\] task reader-130 .*its put did not come next", r"result: imbalance")

X = Log(); X.register(A, uc=1); X.open(A, base=1); X.ioctl(A, 2); X.close(A, base=1)
X.ev = [e for e in X.ev if "vfio_pci_runtime_suspend" not in e[4]]
put("active-unowned.imbalance.trace", X.trace(), r"FAIL active_unowned .*usage_count=1 at end of log while vfio holds no reference",
    r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.lp_entry(A, 1, wakeup=0); X.pci("put", A, 0, "put", "disable", dt=0.2)
put("entry-at-close.imbalance.trace", X.trace(), r"FAIL entry_at_close \[disable\]", r"result: imbalance")

X = Log(); X.register(A); X.open(A); X.lp_entry(A, 1, wakeup=1); X.rt("resume", A, 1, engaged=1, wake=1, dt=0.3)
X.e("vfio_pci_wake_signal", f"{A} usage_count=1"); X.e("vfio_pci_low_power_exit", f"{A} usage_count=1 source=wake wake_armed=1")
X.pci("get", A, 1, "resume_and_get", "region_rw"); X.pci("put", A, 0, "put", "region_rw")
put("exit-without-get.imbalance.jsonl", X.jsonl(), r"FAIL sequence \[low_power_exit\]", r"result: imbalance")

# ---------------------------------------------------------------- inconclusive
t = L.trace().splitlines()
t.insert(30, "CPU:1 [LOST 12 EVENTS]")
put("lost.inconclusive.trace", "\n".join(t) + "\n", r"INCONCLUSIVE lost_events .*\[LOST n EVENTS\]", r"12 events lost", r"result: inconclusive \(exit 2\)")
put("lost-header.inconclusive.trace", L.trace(lost_entries=len(L.ev) + 40), r"ring buffer overwritten", r"40 events lost", r"result: inconclusive")
put("buffer-started.inconclusive.trace", L.trace(extra_header=["##### CPU 1 buffer started ####"]), r"CPU buffer starts late", r"result: inconclusive")
t = L.tcreport().splitlines()
t.insert(20, "CPU:0 [3 EVENTS DROPPED]")
put("lost.inconclusive.tcreport", "\n".join(t) + "\n", r"EVENTS DROPPED", r"3 events lost", r"result: inconclusive")
t = L.perf().splitlines()
t.insert(20, "            perf 1000 [001]    11.000000: PERF_RECORD_LOST: id:1: lost:9")
put("lost.inconclusive.perf", "\n".join(t) + "\n", r"PERF_RECORD_LOST", r"9 events lost", r"result: inconclusive")
t = L.jsonl().splitlines()
t.insert(10, '{"type":"lost","count":5,"cpu":1}')
put("lost.inconclusive.jsonl", "\n".join(t) + "\n", r"vfiopm-trace lost record", r"5 events lost", r"result: inconclusive")
t = L.trace(header=False)
put("cut-start.inconclusive.pipe", t[t.index("usage_count", 0) + 3:], r"INCONCLUSIVE cut_log .*cut at the start", r"result: inconclusive")
put("cut-end.inconclusive.pipe", t[:-25], r"INCONCLUSIVE cut_log .*cut at the end", r"result: inconclusive")
P = Log(); P.ioctl(A, 1); P.close(A)
put("prelog.inconclusive.pipe", P.trace(header=False),
    r"INCONCLUSIVE pre_log \[session\].*started before the log.*cannot baseline", r"result: inconclusive")
t = L.trace().replace("op=resume_and_get reason=enable ret=0", "reason=enable ret=0", 1)
put("malformed.inconclusive.trace", t, r"INCONCLUSIVE malformed .*missing op", r"result: inconclusive")
put("empty.inconclusive.trace", Log().trace(), r"no vfio runtime-PM events", r"result: inconclusive")
X = Log(); X.register(A); X.open(A); X.dev_get(A, 2, 0x3b6e); X.ioctl(A, 2)
t = X.trace().splitlines()
t.insert(len(t) - 1, "CPU:0 [LOST 2 EVENTS]")
put("leak-lost.inconclusive.trace", "\n".join(t) + "\n", r"INCONCLUSIVE leak .*not definitive", r"result: inconclusive")

# ---------------------------------------------------------------- usage
put("garbage.usage.txt", "hello\nthis is not a trace\n", r"")

for name, (text, greps) in files.items():
    with open(os.path.join(HERE, name), "w") as f:
        f.write(text)
    with open(os.path.join(HERE, "expect", name + ".grep"), "w") as f:
        f.write("".join(g + "\n" for g in greps if g))
print(f"wrote {len(files)} logs")
