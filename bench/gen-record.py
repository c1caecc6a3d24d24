#!/usr/bin/env python3
"""A record file (docs/record-format.md) of the vfio events bench/vfiopm-check.sh's
generated ftrace log holds, in the same order and with the same values:

    gen-record.py FILE EVENTS      at least EVENTS events (whole groups of 4)

Two devices bound and opened, then ioctl and config-read get/put pairs from
one task per device, closed at the end: balanced.
"""
import struct
import sys

path, want = sys.argv[1], int(sys.argv[2])
A, B = b"0000:00:02.0", b"0000:00:03.0"
EVENT = struct.Struct("<QQQiiiiiIIiBBBBBBBBbbbB16s16sI")
assert EVENT.size == 104
REC = struct.Struct("<IHH")
PAD = b"\0" * (120 - REC.size - EVENT.size)	# the site and stack NULs, then padding
HEAD = REC.pack(120, 1, 0)
n = 0


def ev(ts, cpu, pid, comm, dev, typ, usage, op=0, reason=0, cmd=0):
    global n
    n += 1
    return HEAD + EVENT.pack(ts, 0, 0, pid, pid, cpu, usage, 0, cmd, 0, -1, typ, op, reason,
                             0, 0, 0, 0, 0, -1, -1, 0, 0, dev, comm, 0) + PAD


DEV_GET, DEV_PUT, PCI_GET, PCI_PUT = 0, 1, 2, 3
OP_GET, OP_PUT = 0, 2
R_RW, R_ENABLE, R_DISABLE, R_REGISTER = 0, 1, 2, 5
with open(path, "wb") as f:
    dev = struct.pack("<16s16s16s16siI", A, b"D0", b"active", b"auto", 0, 0)
    f.write(struct.pack("<8sHHHHBB6xQQ72s256s", b"VFIOPMR\n", 1, 368 + 2 * 72, 104, 2, 1, 0,
                        100 * 10**9, 0, b"bench", b""))
    f.write(dev + dev.replace(A, B))
    ts = 100 * 10**9
    out = []
    for d, pid in ((A, 123), (B, 200)):
        out.append(ev(ts, 0, 50, b"sh", d, PCI_PUT, 0, OP_PUT, R_REGISTER))
        out.append(ev(ts, 0, pid, b"kselftest", d, PCI_GET, 1, OP_GET, R_ENABLE))
    f.write(b"".join(out))
    cmds = (0x3b6b, 0x3b6c, 0x3b75)
    i = 0
    while n < want:
        out = []
        for _ in range(2000):
            if n >= want:
                break
            i += 1
            d, pid, cpu = (A, 123, 1) if i & 1 else (B, 200, 0)
            cmd = cmds[i % 3]
            ts += 3000
            out.append(ev(ts, cpu, pid, b"kselftest", d, DEV_GET, 2, cmd=cmd))
            ts += 2000
            out.append(ev(ts, cpu, pid, b"kselftest", d, DEV_PUT, 1, cmd=cmd))
            ts += 4000
            out.append(ev(ts, cpu, pid, b"kselftest", d, PCI_GET, 2, OP_GET, R_RW))
            ts += 2000
            out.append(ev(ts, cpu, pid, b"kselftest", d, PCI_PUT, 1, OP_PUT, R_RW))
            ts += 2000
        f.write(b"".join(out))
    f.write(ev(ts + 10**6, 1, 123, b"kselftest", A, PCI_PUT, 0, OP_PUT, R_DISABLE))
    f.write(ev(ts + 2 * 10**6, 0, 200, b"kselftest", B, PCI_PUT, 0, OP_PUT, R_DISABLE))
    f.write(REC.pack(40, 4, 0) + struct.pack("<QQQQ", n, n, 0, ts + 2 * 10**6))
print(n)
