#!/usr/bin/env bash
# tests/e2e/screen_replay.sh — replay navigation does what the keys say:
# two Left presses sent together land 20 s back (seeks add up relative to
# the one under way); n before the replay has reached any mark jumps to
# the recording's first mark (known from its annotations at open); a
# clean recording played to its end, and then a seek, show no lost
# samples.  Mark times come from the file's annotations as the headless
# replay reports them.
cd "$(dirname "$0")/../.."
source tests/e2e/lib/screen.bash
fix=fixtures/premature.bdf

start() {
	tmux_start 160 40 "env LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp $LSRMON --replay $fix $*"
}

"$LSRMON" --headless --replay "$fix" >"$tmp/linear.jsonl" || exit 1
first=$(/usr/bin/python3 -c 'import json,sys; print(min(e["t"] for e in map(json.loads, open(sys.argv[1])) if e["type"] == "mark"))' "$tmp/linear.jsonl")
lost=$(/usr/bin/python3 -c 'import json,sys; print([e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "end"][0]["stats"]["lost_samples"])' "$tmp/linear.jsonl")
[ "$lost" = 0 ] || { echo "FAIL: the headless replay of a clean recording counts $lost lost samples"; fail=1; }

# Left Left in one send: from 45 s to 25 s.
start --speed max --pause-at 45
wait_for "Held at --pause-at" || fail=1
tmux -L "$sock" send-keys p
tmux -L "$sock" send-keys Left Left
if wait_for "At 25.0 s: recomputed"; then echo "ok: Left Left"; else fail=1; fi

# n at the start of a paced replay: the first mark (+0.2 s, its sweep
# judged), though no pass has reached it yet.
start --speed 1
wait_for "replay 00:00:0" || fail=1
tmux -L "$sock" send-keys p
wait_for "PAUSED" || fail=1
tmux -L "$sock" send-keys n
if wait_for "$(printf 'At %.1f s: recomputed' "$(echo "$first + 0.2" | bc)")"; then echo "ok: n"; else fail=1; fi
grep -q ' lost [0-9]' "$tmp/screen" && { echo "FAIL: lost samples shown after a seek"; fail=1; }

# To the end, then back: no lost samples either time.
start --speed max
wait_for "Source ended" || fail=1
grep -q ' lost [0-9]' "$tmp/screen" && { echo "FAIL: lost samples shown at the recording's end"; fail=1; }
tmux -L "$sock" send-keys p
wait_for "PAUSED" || fail=1
tmux -L "$sock" send-keys Left
wait_for "At 50.0 s: recomputed" || fail=1
if grep -q ' lost [0-9]' "$tmp/screen"; then
	echo "FAIL: lost samples shown after a seek"; fail=1
else
	echo "ok: no lost samples"
fi
exit $fail
