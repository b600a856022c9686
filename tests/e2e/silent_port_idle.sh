#!/usr/bin/env bash
# tests/e2e/silent_port_idle.sh — a port that stays silent costs next to
# nothing: lsrmon sleeps in poll() until a deadline that matters (the stall
# report) instead of waking every millisecond, and still reports the stall.
# Counted as context switches, a resource bound, not a speed.
. "$(dirname "$0")/lib/serial.bash"

# fakeamp holds the pty for 6 s before it sends anything.
"$FAKEAMP" --link "$WORK/amp" --seconds 1 --start-delay 6 >/dev/null 2>"$WORK/amp.err" &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" >"$WORK/live.jsonl" 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")
wait_for $((5 * TF)) grep -q '"status":"stalled"' "$WORK/live.jsonl" ||
	fail "no stall reported: $(cat "$WORK/live.jsonl" "$WORK/live.err")"
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$LIVE/status"; }
a=$(switches)
sleep 2
b=$(switches)
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon exited $?: $(cat "$WORK/live.err")"
# A wake-up per millisecond would be ~2000; a sleeping loop a handful.
[ $((b - a)) -lt 100 ] || fail "$((b - a)) wake-ups in 2 s of silence"
echo "ok: $((b - a)) wake-ups in 2 s of silence, stall reported"
