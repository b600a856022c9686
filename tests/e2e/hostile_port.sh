#!/usr/bin/env bash
# tests/e2e/hostile_port.sh — a pty writer (not fakeamp: it misbehaves on
# purpose) against lsrmon --port, headless:
#  A. garbage as fast as lsrmon reads it: no crash, no_valid_frames raised;
#  B. INFO frames claiming 32 channels at 100 kHz, a different label in
#     every one, each followed by a DATA frame of the largest size such a
#     configuration allows (4080 bytes): every change is a new segment;
#  C. a steady stream that stops in the middle of a frame for 4 s: link
#     stalled, the CPU stays idle meanwhile, and the rest of the frame
#     completes it (no frame lost); then the sample index jumps backwards
#     (a device restart: a new segment);
# then SIGTERM: exit 0, `end` last with the counters that say what came in.
. "$(dirname "$0")/lib/serial.bash"

python3 -u - "$WORK" <<'PY' > "$WORK/writer.log" 2>&1 &
import binascii, os, random, struct, sys, time, tty
work = sys.argv[1]
master, slave = os.openpty()
tty.setraw(slave)
os.symlink(os.ttyname(slave), work + "/pty")
seq = 0
def frame(kind, payload):
    global seq
    body = bytes([kind, seq & 255]) + struct.pack("<H", len(payload)) + payload
    seq += 1
    return b"\xa5\x5a" + body + struct.pack("<H", binascii.crc_hqx(body, 0xFFFF))
def info(rate, ch, fmt, labels):
    return frame(1, ("rate=%d\nchannels=%d\nformat=%s\nuv_per_lsb=0.05\nlabels=%s\n"
                     % (rate, ch, fmt, ",".join(labels))).encode())
def data(first, s, ch, stim=0):
    marks = bytes([1 if i < stim else 0 for i in range(s)])
    smp = b"".join(struct.pack("<i", (i * 37 + c * 1000) % 4001 - 2000)[:3]
                   for i in range(s) for c in range(ch))
    return frame(2, struct.pack("<IBB", first, s, ch) + marks + smp)
def phase(name):
    with open(work + "/phase", "a") as f:
        f.write(name + "\n")
def wait_go(name):
    while not os.path.exists(work + "/" + name):
        time.sleep(0.02)

wait_go("go")
rnd = random.Random(7)
phase("flood")
end = time.monotonic() + 3
while time.monotonic() < end:
    os.write(master, bytes(rnd.getrandbits(8) for _ in range(4096)))
phase("changes")
labels = ["L%d" % c for c in range(32)]
first = 0
for k in range(60):
    labels[0] = "Mentalis" if k % 2 else "Frontalis"
    os.write(master, info(100000, 32, "s24", labels))
    d = data(first, 42, 32)
    assert len(d) == 4080 + 8
    os.write(master, d)
    first += 42
phase("steady")
first = 0
for k in range(200):
    os.write(master, info(10000, 4, "s24", ["A", "B", "C", "D"]) if k % 10 == 0 else b"")
    os.write(master, data(first, 100, 4, stim=3 if k % 10 == 5 else 0))
    first += 100
last = data(first, 100, 4)
os.write(master, last[:700])
phase("stall")
time.sleep(4)
phase("resume")
os.write(master, last[700:])
first += 100
for k in range(30):
    os.write(master, data(first, 100, 4))
    first += 100
first = 5000        # backwards: the device restarted
for k in range(30):
    os.write(master, data(first, 100, 4))
    first += 100
phase("done")
wait_go("stop")
PY
PIDS+=($!)
wait_for 5 test -e "$WORK/pty" || fail "the writer made no pty"
"$LSRMON" --headless --port "$WORK/pty" > "$WORK/out.jsonl" 2> "$WORK/err" &
LIVE=$!; PIDS+=($LIVE)
wait_for $((5 * TF)) at_least 1 '"status":"connected"' "$WORK/out.jsonl" || fail "no link: $(cat "$WORK/err")"
touch "$WORK/go"

has_phase() { grep -qx "$1" "$WORK/phase" 2>/dev/null; }
wait_for $((10 * TF)) has_phase changes || fail "flood phase did not end"
kill -0 $LIVE || fail "lsrmon died in the flood"
wait_for $((5 * TF)) at_least 1 '"what":"no_valid_frames"' "$WORK/out.jsonl" || fail "no no_valid_frames alarm for garbage"

wait_for $((20 * TF)) has_phase stall || fail "never reached the stall"
sleep 0.5   # let lsrmon drain what was written before the stall
c0=$(cpu_ticks $LIVE)
wait_for $((10 * TF)) has_phase resume || fail "stall did not end"
c1=$(cpu_ticks $LIVE)
[ $((c1 - c0)) -le $((100 * TF)) ] || fail "CPU busy while stalled: $((c1 - c0)) ticks"
grep -q '"status":"stalled"' "$WORK/out.jsonl" || fail "no stalled link event"
wait_for $((10 * TF)) has_phase done || fail "writer did not finish"
wait_for $((10 * TF)) test "$(grep -c '"type":"start"' "$WORK/out.jsonl")" -ge 62 ||
	fail "segments: $(grep -c '"type":"start"' "$WORK/out.jsonl") starts, want ≥ 62"
kill -TERM $LIVE
rc=0; wait $LIVE || rc=$?
[ "$rc" = 0 ] || fail "exit $rc after SIGTERM: $(cat "$WORK/err")"
touch "$WORK/stop"

python3 - "$WORK/out.jsonl" <<'PY' || fail "events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[-1]["type"] == "end", ev[-1]
st = ev[-1]["stats"]
starts = [e for e in ev if e["type"] == "start"]
big = [s for s in starts if s["rate"] == 100000 and len(s["channels"]) == 32]
small = [s for s in starts if s["rate"] == 10000 and len(s["channels"]) == 4]
# 60 alternating INFO frames: each one after the first is a change.
assert len(big) == 60, len(big)
# The steady stream, and the restart after the backwards jump.
assert len(small) == 2, len(small)
assert st["resyncs"] > 0 and st["crc_errors"] + st["format_errors"] > 0, st
assert st["info_invalid"] == 0, st
# Every frame the writer sent decodes: 60 INFO + 60 DATA, 20 INFO + 200
# DATA steady, the one split by the stall, 30 + 30 around the restart.
# (A frame made of garbage would need a CRC match: the seed rules it out.)
assert st["frames"] == 60 * 2 + 20 + 200 + 1 + 30 + 30, st
print("hostile port: %d segments, stats %s" % (len(starts), st))
PY
