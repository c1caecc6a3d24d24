#!/usr/bin/env python3
"""Check a vfiopm-check --timeline page against the log it was made from.

  tests/timeline-check.py PAGE LOG [--flags N] [--named | --unnamed]

The page must parse as HTML with balanced tags and hold no script and no
external reference; it must have one lane per device of the log, and per
device, markers standing for exactly as many low-power entries (accepted),
exits and wake signals as the log has (a marker's title counts the events it
merges), bands whose durations add up to the device's span, and N finding
markers (default: any number). --named: the log names D-states, so no grey
band and no blind-spot note; --unnamed: the opposite. TAP lines; exit 1 on
any failure."""
import html.parser
import json
import re
import sys

VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "rect", "line", "path"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.lanes, self.lane = [], [], {}, None
        self.title_of, self.text = None, []
        self.external = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" or any(v and re.match(r"(https?:)?//", v) for k, v in attrs
                                  if k in ("src", "href")):
            self.external = True
        if tag == "g" and a.get("class") == "lane":
            self.lane = a.get("data-dev")
            self.lanes[self.lane] = {"marks": [], "bands": [], "flags": 0}
        if self.lane and tag in ("circle", "rect", "path"):
            cls = a.get("class", "")
            self.title_of = (tag, cls)
        if tag not in VOID:
            self.stack.append(tag)
        elif tag in ("circle", "rect", "path"):
            self.stack.append(tag)  # closed explicitly in the page

    def handle_startendtag(self, tag, attrs):
        pass  # <line/> and friends: nothing to balance

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if tag == "g":
            self.lane = None

    def handle_data(self, data):
        self.text.append(data)
        if self.lane and self.title_of and self.stack and self.stack[-1] == "title":
            tag, cls = self.title_of
            lane = self.lanes[self.lane]
            if cls.startswith("mark"):
                m = re.search(r"\(and (\d+) more", data)
                lane["marks"].append((cls.split()[1], 1 + (int(m.group(1)) if m else 0)))
            elif cls.startswith("band"):
                m = re.search(r" of these ([0-9.]+) s", data)
                lane["bands"].append((cls.split()[1], float(m.group(1)) if m else 0.0))
            elif cls.startswith("flag"):
                lane["flags"] += 1
            self.title_of = None


def log_events(path):
    """Per device: entries accepted, exits, wakes, and first/last timestamp."""
    devs = {}
    for line in open(path, errors="replace"):
        if line.startswith("{"):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("type") != "event" or not r.get("event", "").startswith("vfio"):
                continue
            name, dev, ts = r.get("event", ""), r.get("dev"), r.get("ts", 0) / 1e9
            ok_entry = name == "vfio_pci_low_power_entry" and r.get("ret") == 0
        else:
            m = re.search(r" (\d+\.\d+): +(?:vfio_pci:|vfio:)?(vfio_\w+): (\S+)(.*)", line)
            if not m:
                continue
            ts, name, dev, rest = float(m.group(1)), m.group(2), m.group(3), m.group(4)
            ok_entry = name == "vfio_pci_low_power_entry" and " ret=0" in rest
        d = devs.setdefault(dev, {"entries": 0, "exits": 0, "wakes": 0, "first": ts, "last": ts})
        d["last"] = max(d["last"], ts)
        d["entries"] += ok_entry
        d["exits"] += name == "vfio_pci_low_power_exit"
        d["wakes"] += name == "vfio_pci_wake_signal"
    return devs


def main():
    args = sys.argv[1:]
    want_flags = None
    named = None
    if "--flags" in args:
        i = args.index("--flags")
        want_flags = int(args[i + 1])
        del args[i:i + 2]
    if "--named" in args:
        named = True
        args.remove("--named")
    if "--unnamed" in args:
        named = False
        args.remove("--unnamed")
    page_path, log = args
    failed = False

    def tap(ok, text):
        nonlocal failed
        print(("ok - " if ok else "not ok - ") + text)
        failed |= not ok

    p = Page()
    p.feed(open(page_path).read())
    p.close()
    tap(not p.errors and not p.stack, f"timeline: the page parses, tags balanced"
        f"{': ' + '; '.join(p.errors[:3]) if p.errors else ''}")
    tap(not p.external, "timeline: self-contained (no script, no external reference)")
    devs = log_events(log)
    tap(sorted(p.lanes) == sorted(devs), f"timeline: one lane per device ({len(p.lanes)} lanes, "
        f"{len(devs)} devices in the log)")
    for dev, d in sorted(devs.items()):
        lane = p.lanes.get(dev, {"marks": [], "bands": [], "flags": 0})
        got = {"entries": 0, "exits": 0, "wakes": 0}
        for cls, n in lane["marks"]:
            got["entries" if cls.startswith("entry") else "exits" if cls.startswith("exit") else "wakes"] += n
        want = {k: d[k] for k in got}
        tap(got == want, f"timeline {dev}: markers stand for {got} (log: {want})")
        total = sum(s for _, s in lane["bands"])
        span = d["last"] - d["first"]
        tap(lane["bands"] and abs(total - span) <= max(0.002 * span, 2e-6),
            f"timeline {dev}: {len(lane['bands'])} bands covering {total:.6f} s of a {span:.6f} s span")
        if named is not None:
            grey = any(cls == "low" for cls, _ in lane["bands"])
            tap(grey != named, f"timeline {dev}: {'no' if named else 'some'} bands of an unnamed state")
        if want_flags is not None:
            tap(lane["flags"] == want_flags, f"timeline {dev}: {lane['flags']} finding markers "
                f"(want {want_flags})")
    if named is not None:
        blind = "Blind spot" in "".join(p.text)
        tap(blind != named, f"timeline: the blind-spot note is {'absent' if named else 'present'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
