#!/usr/bin/env bash
# tests/e2e/record_port.sh — --record from a live LSRB port (a pty fed by
# fakeamp at real time; the recorder drops rather than waits there): the
# recording holds exactly the samples of the same bytes replayed from a
# capture and recorded again, as read by EDFlib, MNE and biosig.
. "$(dirname "$0")/lib/serial.bash"
cd "$(dirname "$0")"
py=/usr/bin/python3

"$FAKEAMP" --write "$WORK/cap.lsrb" --seconds 4 || fail "fakeamp --write"
"$FAKEAMP" --from "$WORK/cap.lsrb" --link "$WORK/amp" --start-delay 1 --linger 1 \
	>/dev/null 2>"$WORK/amp.err" &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" --driver lsrb --record "$WORK/live.bdf" \
	>"$WORK/live.jsonl" 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")
wait "$AMP" || fail "fakeamp failed: $(cat "$WORK/amp.err")"
wait_for $((5 * TF)) grep -q '"status":"disconnected"' "$WORK/live.jsonl" ||
	fail "no disconnect after the device went away"
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon (port) exited $?: $(cat "$WORK/live.err")"
[ "$(stat -c %a "$WORK/live.bdf")" = 600 ] || fail "live.bdf is not mode 0600"

"$LSRMON" --headless --replay "$WORK/cap.lsrb" --record "$WORK/replay.bdf" >/dev/null \
	2>"$WORK/replay.err" || fail "replay of the capture exited $?: $(cat "$WORK/replay.err")"
# The acquired samples: Trigger (the last signal) without bit 7.
n=$(edfdump "$WORK/replay.bdf" | awk '$1 == "H" { t = $2 - 1 }
	$1 == "S" && $2 == t { for (i = 3; i <= NF; i++) n += $i < 128; print n }')
[ "${n:-0}" -gt 1000 ] || fail "the replayed recording holds ${n:-no} samples"
echo "comparing $n samples per channel"
$py readers.py "$WORK/live.bdf" --ref-file "$WORK/replay.bdf" --min-samples "$n" ||
	fail "the live recording differs from the replayed one"
$py readers.py "$WORK/live.bdf" --ref-edflib --events "$WORK/live.jsonl" ||
	fail "readers disagree on the live recording"
