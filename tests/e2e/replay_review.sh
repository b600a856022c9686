#!/usr/bin/env bash
# Replay review on screen: seeking back (Left), to the next (n) and the
# previous (N) state change recomputes the case, and the banner then shows
# the state a straight headless pass gives at that stream time.  A recording
# made meanwhile receives every sample exactly once and no event twice.
set -u
tmp=$(mktemp -d); sock="lsrreview$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fix=fixtures/premature.bdf
"$LSRMON" --headless --replay "$fix" --pause-at 45 >"$tmp/linear.jsonl" || exit 1

# The banner a stream time must show, from the linear pass: the last state
# event emitted by then (a stimulus's events leave 100 ms after it).
banner_at() {
	/usr/bin/python3 - "$tmp/linear.jsonl" "$1" <<'PY'
import json, sys
t = float(sys.argv[2])
st = [e for e in map(json.loads, open(sys.argv[1])) if e['type'] == 'state' and e['t'] + 0.1 <= t]
s = st[-1]
print({'present': 'LSR PRESENT', 'reduced': 'REDUCED TO',
       'disappeared': 'PREMATURE LOSS' if s['premature'] else 'AFTER DECOMPRESSION'}[s['state']])
PY
}

wait_for() {
	local i t ok
	for ((i = 0; i < 200 * LSR_TIME_FACTOR; i++)); do
		if tmux -L "$sock" capture-pane -p >"$tmp/screen" 2>/dev/null; then
			ok=1
			for t in "$@"; do grep -qF -- "$t" "$tmp/screen" || ok=0; done
			[ $ok = 1 ] && return 0
		fi
		sleep 0.05
	done
	echo "timed out waiting for: $*"; cat "$tmp/screen"; exit 1
}

# A seek's note is set as its recomputation ends, and the next frame may
# still be on its way: the next key waits until two captures agree.
settled() {
	local i a b
	for ((i = 0; i < 200 * LSR_TIME_FACTOR; i++)); do
		a=$(tmux -L "$sock" capture-pane -p 2>/dev/null)
		sleep 0.05
		b=$(tmux -L "$sock" capture-pane -p 2>/dev/null)
		[ -n "$a" ] && [ "$a" = "$b" ] && return 0
	done
	echo "the screen never settled"; exit 1
}

tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 36 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp $LSRMON --replay $fix --speed max --pause-at 45 -o $tmp/rec.bdf; echo EXIT=\$?; sleep 60"
wait_for "Held at --pause-at" "$(banner_at 45)"

tmux -L "$sock" send-keys p                     # pause: seeks then stay put
tmux -L "$sock" send-keys Left                  # to 35 s: the premature loss
wait_for "At 35.0 s: recomputed" "$(banner_at 35.2)"
settled
tmux -L "$sock" send-keys n                     # the return at ~40.07 s
t_next=$(/usr/bin/python3 -c 'import json,sys; print(next(e["t"] for e in map(json.loads, open(sys.argv[1])) if e["type"] in ("state","mark") and e["t"] + 0.2 > 35.05))' "$tmp/linear.jsonl")
wait_for "$(printf 'At %.1f s: recomputed' "$(echo "$t_next + 0.2" | bc)")" "$(banner_at "$(echo "$t_next + 0.2" | bc)")"
settled
tmux -L "$sock" send-keys N                     # back to the loss before it
t_prev=$(/usr/bin/python3 -c 'import json,sys; print([e["t"] for e in map(json.loads, open(sys.argv[1])) if e["type"] in ("state","mark") and e["t"] + 0.2 < float(sys.argv[2]) - 1][-1])' "$tmp/linear.jsonl" "$t_next")
wait_for "$(printf 'At %.1f s: recomputed' "$(echo "$t_prev + 0.2" | bc)")" "$(banner_at "$(echo "$t_prev + 0.2" | bc)")"
tmux -L "$sock" send-keys q
sleep 0.2; tmux -L "$sock" send-keys y
wait_for "EXIT=0"

# The recording holds the 45 s once, and each state change once.
edfdump "$tmp/rec.bdf" >"$tmp/dump" || { echo "EDFlib refuses the recording"; exit 1; }
/usr/bin/python3 - "$tmp/dump" "$tmp/linear.jsonl" <<'PY'
import json, sys
dump = open(sys.argv[1]).read().splitlines()
h = dump[0].split()
records, rec_s = int(h[2]), float(h[3])
assert abs(records * rec_s - 45.0) <= 0.11, f"recording is {records * rec_s} s, want 45"
# a state change reads "lsrmon: <state in words> (was <prev>; since …" (lsrmon(1))
states = [l for l in dump if l.startswith('A ') and ' lsrmon: ' in l and '; since ' in l]
want = [e for e in map(json.loads, open(sys.argv[2])) if e['type'] == 'state']
assert len(states) == len(want), f"{len(states)} state annotations, the linear pass has {len(want)}"
print(f"recording {records * rec_s:.1f} s, {len(states)} state annotations")
PY
