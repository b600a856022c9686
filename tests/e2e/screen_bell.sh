#!/usr/bin/env bash
# tests/e2e/screen_bell.sh — alarms a person hears: lsrmon runs in tmux
# with monitor-bell on and an alert-bell hook that counts the bells.
# Under --pause-at the alarm's clock is stream time, so the count is the
# same on every run: a scripted loss chimes once per state change (reduced,
# disappeared), a stimulation failure rings at its start and every 5 s,
# k stops it, and alarm_bell=off keeps both silent.  Expected counts come
# from the headless run's state events (the detector's ground truth for the
# simulated case), not from the screen.
cd "$(dirname "$0")/../.."
source tests/e2e/lib/screen.bash

start() { # name args...
	local name=$1
	shift
	: >"$tmp/$name.bells"
	tmux_start 80 24 "env LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp $LSRMON $*" \; \
		set-option -g monitor-bell on \; set-option -g bell-action any \; \
		set-hook -g alert-bell "run-shell 'echo bell >> $tmp/$name.bells'"
}

# The hook runs after the bell: wait (bounded) until the count is reached,
# then it must be exactly that.
bells() { # name want
	local i got
	for ((i = 0; i < 40 * LSR_TIME_FACTOR; i++)); do
		got=$(wc -l <"$tmp/$1.bells")
		[ "$got" -ge "$2" ] && break
		sleep 0.05
	done
	got=$(wc -l <"$tmp/$1.bells")
	if [ "$got" != "$2" ]; then
		echo "FAIL: $1: $got bells, want $2"
		fail=1
	else
		echo "ok: $1: $got bells"
	fi
}

# Chimes: state events by 170 s that are reduced, disappeared, or present
# again after either.
"$LSRMON" --headless --speed max --pause-at 170 >"$tmp/classic.jsonl" || exit 1
chimes=$(/usr/bin/python3 -c '
import json, sys
st = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "state"]
print(sum(e["state"] in ("reduced", "disappeared") or
          (e["state"] == "present" and e["prev"] in ("reduced", "disappeared")) for e in st))' "$tmp/classic.jsonl")
[ "$chimes" -ge 1 ] || { echo "FAIL: the classic case has no loss by 170 s"; exit 1; }
# Speed 20: the state changes are seconds of stream apart, so tmux sees
# each bell on its own.
start loss --speed 20 --pause-at 170
wait_for "Held at --pause-at" || fail=1
bells loss "$chimes"

# Stimulation failure: rings at its start and every 5 s of stream until
# the hold, 1 + floor((138 - start) / 5) times; no chime (it is a technical
# alarm, not a state change of the LSR).
"$LSRMON" --headless --speed max --scenario stim-failure --pause-at 138 >"$tmp/fail.jsonl" || exit 1
rings=$(/usr/bin/python3 -c '
import json, math, sys
t = next(e["t"] for e in map(json.loads, open(sys.argv[1])) if e["type"] == "state" and e["state"] == "stimulation_failure")
assert 138 - t > 5 * math.floor((138 - t) / 5) + 0.5, "too close to a ring to count it"
print(1 + math.floor((138 - t) / 5))' "$tmp/fail.jsonl") || { echo "FAIL: no countable stimulation failure"; exit 1; }
start failure --speed 10 --scenario stim-failure --pause-at 138
wait_for "Held at --pause-at" || fail=1
bells failure "$rings"

# k as soon as the failure shows: its first bell only.
start ack --speed 10 --scenario stim-failure --pause-at 138
wait_for "STIMULATION FAILURE" || fail=1
tmux -L "$sock" send-keys k
wait_for "Alarm acknowledged" || fail=1
wait_for "+00:02:18" || fail=1 # the trend's end: the hold at 138 s
grep -qF "STIMULATION FAILURE" "$tmp/screen" || { echo "FAIL: ack: the alarm left the screen"; fail=1; }
bells ack 1

# alarm_bell=off: neither the loss nor the failure rings.
start loss-off --speed max --pause-at 170 --set alarm_bell=off
wait_for "Held at --pause-at" || fail=1
bells loss-off 0
start failure-off --speed max --scenario stim-failure --pause-at 138 --set alarm_bell=off
wait_for "Held at --pause-at" || fail=1
bells failure-off 0
exit $fail
