#!/usr/bin/env bash
# tests/e2e/report_zone.sh — the report's times of day are the case's own
# (clock.h): a case recorded in Berlin and replayed in New York is dated in
# Berlin's time, with Berlin's offset said, exactly as the live report was.
# Ground truth: the recording header's local start time and the offset the
# tz database gives Berlin on that date (Python's zoneinfo, not lsrmon).
set -u
: "${LSRMON:?}"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
TZ=Europe/Berlin "$LSRMON" --headless --duration 60 -o "$dir/c.bdf" --report "$dir/live" >/dev/null ||
	fail "live run exit $?"
TZ=America/New_York "$LSRMON" --headless --replay "$dir/c.bdf" --report "$dir/replay" >/dev/null ||
	fail "replay exit $?"
/usr/bin/python3 - "$dir" <<'PY' || exit 1
import datetime, re, sys, zoneinfo
d = sys.argv[1]
head = open(d + "/c.bdf", "rb").read(256)
date, time = head[168:176].decode(), head[176:184].decode()
dd, mm, yy = (int(x) for x in date.split("."))
start = datetime.datetime(2000 + yy, mm, dd, *(int(x) for x in time.split(".")))
off = zoneinfo.ZoneInfo("Europe/Berlin").utcoffset(start)
h, m = divmod(int(off.total_seconds()) // 60, 60)
zone = f"UTC+{h:02d}:{m:02d}"
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
want = f"{start.day} {months[start.month - 1]} {start.year} {start:%H:%M:%S} {zone}"
def kv(path):
    out = {}
    for line in open(path):
        k, _, v = line.rstrip("\n").partition(": ")
        out.setdefault(k, v)
    return out, open(path).read()
errors = []
for name in ("live", "replay"):
    k, text = kv(f"{d}/{name}.txt")
    if k.get("case_start") != want:
        errors.append(f"{name}: case_start {k.get('case_start')!r}, header says {want!r}")
    # the Decompression mark the simulator sets at half the case (30 s)
    mark = start + datetime.timedelta(seconds=30)
    iso = f"{mark:%Y-%m-%dT%H:%M:%S}+{h:02d}{m:02d}"
    if f" wall={iso} " not in text:
        errors.append(f"{name}: no mark dated {iso}")
live = open(d + "/live.txt").read()
replay = open(d + "/replay.txt").read()
walls = lambda t: re.findall(r"^\w+_wall: .*$|wall=\S+", t, re.M)
if walls(live) != walls(replay):
    errors.append("the replay's wall times differ from the live report's")
if errors:
    print("FAIL: " + "; ".join(errors))
    sys.exit(1)
print(f"ok: live in Berlin and replay in New York both say {want}")
PY
