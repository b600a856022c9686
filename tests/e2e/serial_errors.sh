#!/usr/bin/env bash
# tests/e2e/serial_errors.sh — a missing port and a port held by another
# lsrmon exit 1 with a clear message; --list-ports names devices; a
# garbage-only stream raises no_valid_frames after about 2 s and crashes
# nothing.
. "$(dirname "$0")/lib/serial.bash"

"$LSRMON" --headless --port /dev/does-not-exist >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" -eq 1 ] || fail "missing port: exit $rc"
grep -q '/dev/does-not-exist' "$WORK/err" || fail "missing port: message '$(cat "$WORK/err")'"

"$LSRMON" --list-ports >"$WORK/ports" 2>&1 || fail "--list-ports: exit $?"
! grep -qv '^/dev/' "$WORK/ports" || fail "--list-ports: $(cat "$WORK/ports")"

"$FAKEAMP" --link "$WORK/amp" --garbage --seconds 8 >/dev/null 2>&1 &
PIDS+=("$!")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" > >(stamp "$WORK/first.jsonl") 2>"$WORK/first.err" &
FIRST=$!; PIDS+=("$FIRST")
wait_for $((3 * TF)) grep -q '"status":"connected"' "$WORK/first.jsonl" ||
	fail "first lsrmon did not connect: $(cat "$WORK/first.err")"

"$LSRMON" --headless --port "$WORK/amp" >"$WORK/second.out" 2>"$WORK/second.err"
rc=$?
[ "$rc" -eq 1 ] || fail "busy port: exit $rc"
grep -qi 'busy' "$WORK/second.err" || fail "busy port: message '$(cat "$WORK/second.err")'"

wait_for $((5 * TF)) grep -q '"what":"no_valid_frames"' "$WORK/first.jsonl" ||
	fail "no no_valid_frames alarm"
t_conn=$(grep '"status":"connected"' "$WORK/first.jsonl" | head -n 1 | cut -d' ' -f1)
t_alarm=$(grep '"what":"no_valid_frames"' "$WORK/first.jsonl" | head -n 1 | cut -d' ' -f1)
awk -v a="$t_conn" -v b="$t_alarm" -v tf="$TF" 'BEGIN { d = b - a; exit !(d >= 1.9 && d <= 3 * tf) }' ||
	fail "no_valid_frames $t_alarm, connected $t_conn: not about 2 s"
kill -0 "$FIRST" || fail "lsrmon died on garbage"
kill -TERM "$FIRST"
wait "$FIRST" || fail "lsrmon exited $? after garbage: $(cat "$WORK/first.err")"
echo "ok"
