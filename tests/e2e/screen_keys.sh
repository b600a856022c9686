#!/usr/bin/env bash
# tests/e2e/screen_keys.sh — the sweep and mark keys as a person presses
# them, read back from the screen in tmux (160x48, where every channel's
# header shows its gain):
# - Tab then - changes the selected channel's gain label only;
# - = sets each channel's gain from its own baseline: the 1-2-5 step
#   nearest a third of the baseline peak to peak (lsrmon(1), SCREEN), the
#   baselines taken from the headless run's baseline events, not from
#   the screen;
# - a, four times, labels each LSR channel's trace with the trials of the
#   average its latest decision judged (avg k=N, from the headless run);
# - o then d put two different glyphs on the trend, Dura open before
#   Decompression, and in the log.
cd "$(dirname "$0")/../.."
source tests/e2e/lib/screen.bash

start() {
	tmux_start 160 48 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp $LSRMON $*"
}
key() { tmux -L "$sock" send-keys "$@"; }

# Until the status line counts at least n stimuli (bounded).
wait_stims() { # n
	local i got
	for ((i = 0; i < 400 * LSR_TIME_FACTOR; i++)); do
		got=$(tmux -L "$sock" capture-pane -p | sed -n 's/.*| stim \([0-9]*\).*/\1/p' | tail -1)
		[ -n "$got" ] && [ "$got" -ge "$1" ] && return 0
		sleep 0.05
	done
	echo "timed out waiting for $1 stimuli (at ${got:-none})"
	return 1
}

# The gain label of each channel's header, "ch=uV" in channel order.
gains() {
	tmux -L "$sock" capture-pane -p | /usr/bin/python3 -c '
import re, sys
out = []
for line in sys.stdin:
    m = re.match(r"(\d+) .*?(\d+)\u00b5V/d", line)
    if m:
        out.append("%s=%s" % m.groups())
print(" ".join(out))'
}

# Until the gains read as expected (a key is drawn on the next frame).
expect_gains() { # name want
	local i got
	for ((i = 0; i < 100 * LSR_TIME_FACTOR; i++)); do
		got=$(gains)
		[ "$got" = "$2" ] && { echo "ok: $1: $got"; return 0; }
		sleep 0.05
	done
	echo "FAIL: $1: gains '$got', want '$2'"
	fail=1
}

# The starting gains: the layout's gain_uv, the control's 500 (its
# documented default, which shows the direct response whole).
g=$(sed -n 's/^gain_uv *= *\([0-9]*\).*/\1/p' layouts/standard.ini)
[ -n "$g" ] || { echo "FAIL: no gain_uv in layouts/standard.ini"; exit 1; }
step() { # uV direction: the 1-2-5 step from the one nearest uV
	/usr/bin/python3 -c '
import math, sys
steps = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
v, d = float(sys.argv[1]), int(sys.argv[2])
i = min(range(len(steps)), key=lambda k: abs(math.log(steps[k] / v))) + d
print(steps[max(0, min(len(steps) - 1, i))])' "$1" "$2"
}

"$LSRMON" --headless --speed max --pause-at 100 >"$tmp/head.jsonl" || exit 1
auto=$(/usr/bin/python3 -c '
import json, math, sys
steps = [2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
base = {}
for e in map(json.loads, open(sys.argv[1])):
    if e["type"] == "baseline":
        base[e["ch"]] = e["p2p_uv"]
near = lambda v: min(steps, key=lambda s: abs(math.log(s / v)))
print(" ".join("%d=%d" % (c, near(base[c] / 3)) for c in sorted(base)))' "$tmp/head.jsonl")

start --speed max --pause-at 100
wait_for "Held at --pause-at" || fail=1
expect_gains start "0=$g 1=$g 2=500"
# Tab selects channel 0; - is more uV per division on it alone.
key Tab
key -
expect_gains "Tab -" "0=$(step "$g" 1) 1=$g 2=500"
# Tab Tab Tab: channels 1, 2, then none; + + then acts on every channel,
# each from its own gain, so = below has something to undo everywhere.
key Tab Tab Tab + +
expect_gains "+ + on all" "0=$(step "$(step "$g" 1)" -2) 1=$(step "$g" -2) 2=$(step 500 -2)"
key =
expect_gains "=" "$auto"

# a four times: past 1-4 sweeps, each LSR channel shows the average its
# latest decision judged, labelled with that decision's trials (the
# headless run's last response of each channel says how many); the
# control, which has none, keeps its latest sweep.
want=$(/usr/bin/python3 -c '
import json, sys
last = {}
for e in map(json.loads, open(sys.argv[1])):
    if e["type"] == "response":
        last[e["ch"]] = e
print(" ".join("%d=%s" % (c, "k=%d" % last[c]["trials"] if last[c]["role"] == "lsr" else "none")
               for c in sorted(last)))' "$tmp/head.jsonl")
key a a a a
avg=
for ((i = 0; i < 100 * LSR_TIME_FACTOR; i++)); do
	avg=$(tmux -L "$sock" capture-pane -p | /usr/bin/python3 -c '
import re, sys
out = []
for line in sys.stdin:
    m = re.match(r"(\d+) .*?\d+\u00b5V/d", line)
    if m:
        k = re.search(r"avg (k=\S+)", line)
        out.append("%s=%s" % (m.group(1), k.group(1) if k else "none"))
print(" ".join(out))')
	[ "$avg" = "$want" ] && break
	sleep 0.05
done
if [ "$avg" = "$want" ]; then echo "ok: a a a a: $avg"; else echo "FAIL: a a a a: '$avg', want '$want'"; fail=1; fi

# o, then d some seconds of stream later: O and D on the trend's top
# row (the one under its header), O to the left, and in the log.
start --speed 10
wait_stims 20 || fail=1
key o
wait_for "O Dura open (key)" || fail=1
wait_stims 40 || fail=1
key d
wait_for "D Decompression (key)" || fail=1
if tmux -L "$sock" capture-pane -p | /usr/bin/python3 -c '
import sys
rows = sys.stdin.read().split("\n")
top = next(i for i, r in enumerate(rows) if "Trend ch0" in r) + 1
row = rows[top]
plot = row[row.index("150%") + 4:]
o, d = plot.find("O"), plot.find("D")
print("trend top row:", plot.rstrip())
sys.exit(0 if 0 <= o < d else 1)'; then
	echo "ok: o then d: two glyphs on the trend"
else
	echo "FAIL: o then d: no O left of a D on the trend"
	fail=1
fi
exit $fail
