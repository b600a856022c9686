#!/usr/bin/env bash
# tests/e2e/serial_live_vs_replay.sh — the same LSRB bytes through a pty at
# real time and as a capture replay give the same stimuli; --capture keeps
# exactly the bytes the device sent.
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --write "$WORK/cap.lsrb" --seconds 6 || fail "fakeamp --write"
"$FAKEAMP" --from "$WORK/cap.lsrb" --link "$WORK/amp" --start-delay 1.5 --linger 1 \
	>/dev/null 2>"$WORK/amp.err" &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" --driver lsrb --capture "$WORK/live.lsrb" \
	>"$WORK/live.jsonl" 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")
wait "$AMP" || fail "fakeamp failed: $(cat "$WORK/amp.err")"
wait_for $((5 * TF)) grep -q '"status":"disconnected"' "$WORK/live.jsonl" ||
	fail "no disconnect after the device went away"
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon (port) exited $?: $(cat "$WORK/live.err")"

cmp "$WORK/cap.lsrb" "$WORK/live.lsrb" || fail "--capture differs from the bytes sent"
"$LSRMON" --headless --replay "$WORK/live.lsrb" >"$WORK/replay.jsonl" 2>"$WORK/replay.err" ||
	fail "lsrmon --replay exited $?: $(cat "$WORK/replay.err")"

stims() { grep '"type":"stim"' "$1" | sed -E 's/.*"t":([-0-9.e]+).*"n":([0-9]+).*/\2 \1/'; }
stims "$WORK/live.jsonl" >"$WORK/live.stims"
stims "$WORK/replay.jsonl" >"$WORK/replay.stims"
n=$(wc -l <"$WORK/replay.stims")
[ "$n" -ge 5 ] || fail "replay found $n stimuli, expected 6"
paste "$WORK/live.stims" "$WORK/replay.stims" | awk -v n="$n" '
	NF != 4 { bad = 1 }
	NF == 4 && ($1 != $3 || ($2 - $4) > 0.0005 || ($4 - $2) > 0.0005) { bad = 1 }
	END { exit bad || NR != n }' ||
	fail "stimuli differ: live $(tr '\n' ' ' <"$WORK/live.stims") / replay $(tr '\n' ' ' <"$WORK/replay.stims")"
echo "ok: $n stimuli, identical live and replayed"
