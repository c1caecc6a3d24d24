#!/usr/bin/env python3
"""Say where a test VM is stuck before scripts/vm-run.sh kills it.

    hang-report.py MONITOR_SOCKET CONSOLE_LOG [SYSTEM_MAP]

Asks QEMU's human monitor (a unix socket) where each virtual CPU is, five
times half a second apart, symbolized with SYSTEM_MAP when given: a CPU that
is always "halted" is idle, one that keeps the same function is spinning.
Then injects an NMI: the guest boots with unknown_nmi_panic and
panic_print=0x43, so it panics and prints every task's stack, its memory
use and every CPU's backtrace on the serial console; waits until the
console is quiet (at most 30 s) and prints what it added. Everything goes
to stdout; vm-run.sh saves it as OUT/hang.txt.
"""
import bisect
import re
import socket
import sys
import time


def load_symbols(path):
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[1] in "tTwW":
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError as e:
        print(f"(no symbols: {e})")
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def symbolize(syms, pc):
    addrs, names = syms
    i = bisect.bisect_right(addrs, pc) - 1
    if i < 0 or pc - addrs[i] > 0x100000:
        return hex(pc)
    return f"{names[i]}+{pc - addrs[i]:#x}"


class Monitor:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf.decode(errors="replace")

    def run(self, cmd):
        self.sock.sendall(cmd.encode() + b"\n")
        text = self.read_prompt()
        # drop the echoed command line and the prompt, and terminal escapes
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
        lines = [l for l in text.replace("\r", "").split("\n")
                 if l and not l.startswith("(qemu)") and l.strip() != cmd]
        return "\n".join(lines)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    sock_path, console = sys.argv[1], sys.argv[2]
    syms = load_symbols(sys.argv[3]) if len(sys.argv) > 3 else ([], [])
    try:
        mon = Monitor(sock_path)
    except OSError as e:
        print(f"hang report: cannot reach the QEMU monitor: {e}")
        return 1

    print("== where each vCPU is (QEMU 'info registers -a', 5 samples 0.5 s apart)")
    for _ in range(5):
        samples = []
        for cpu, regs in re.findall(r"CPU#(\d+)\n(.*?)(?=CPU#|\Z)", mon.run("info registers -a"), re.S):
            rip = re.search(r"RIP=([0-9a-f]+)", regs)
            halted = " (halted)" if re.search(r"HLT=1", regs) else ""
            where = symbolize(syms, int(rip.group(1), 16)) if rip else "?"
            samples.append(f"cpu{cpu} {where}{halted}")
        print("  " + "; ".join(samples or ["(no CPUs listed)"]), flush=True)
        time.sleep(0.5)

    try:
        start = len(open(console, "rb").read())
    except OSError:
        start = 0
    print("== guest console after an injected NMI (tasks and CPU backtraces)")
    mon.run("nmi")
    # The guest panics, prints, and reboots, which ends QEMU (-no-reboot):
    # wait for the console to stop growing.
    text, quiet = "", 0
    for _ in range(60):
        time.sleep(0.5)
        try:
            now = open(console, "rb").read()[start:].decode(errors="replace")
        except OSError:
            break
        quiet = quiet + 1 if now == text else 0
        text = now
        if "end Kernel panic" in text or (text and quiet >= 6):
            break
    print(text if text.strip() else "(the guest printed nothing: it did not take the NMI)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
