#!/usr/bin/env python3
"""Whether a PNG shows something: decodes it (8-bit RGB/RGBA, any filter)
with the standard library and prints its size, the number of distinct
colours and the share of pixels that are not the background (the top-left
pixel's colour).

  tests/png-check.py FILE [--min-colors N] [--min-ink PCT]

Exit 0 when it has at least N colours (default 8) and PCT % ink (default 1),
1 when it is blank by that measure, 2 when it is not a PNG it can read."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = ihdr[:4]
    if depth != 8 or ctype not in (2, 6):
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype})")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    args = sys.argv[1:]
    opts = {"--min-colors": 8, "--min-ink": 1.0}
    for k in list(opts):
        if k in args:
            i = args.index(k)
            opts[k] = float(args[i + 1])
            del args[i:i + 2]
    try:
        w, h, bpp, rows = decode(args[0])
    except (OSError, ValueError, zlib.error, struct.error, TypeError) as e:
        print(f"{args[0]}: {e}")
        return 2
    bg = rows[0][:3]
    colors, ink = set(), 0
    for r in rows:
        for x in range(0, w * bpp, bpp):
            px = r[x:x + 3]
            colors.add(px)
            ink += px != bg
    pct = 100.0 * ink / (w * h)
    print(f"{args[0]}: {w}x{h}, {len(colors)} colours, {pct:.1f} % ink")
    return 0 if len(colors) >= opts["--min-colors"] and pct >= opts["--min-ink"] else 1


if __name__ == "__main__":
    sys.exit(main())
