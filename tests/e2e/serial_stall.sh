#!/usr/bin/env bash
# tests/e2e/serial_stall.sh — 3 s without bytes (no hang-up) is reported as
# link stalled, and bytes resuming as connected.
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --link "$WORK/amp" --seconds 7 --start-delay 0.5 --stall-at 2:3 \
	>/dev/null 2>"$WORK/amp.err" &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" >"$WORK/live.jsonl" 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")
wait "$AMP"
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon exited $?: $(cat "$WORK/live.err")"
grep -o '"status":"[a-z]*"' "$WORK/live.jsonl" | tr '\n' ' ' >"$WORK/links"
case "$(cat "$WORK/links")" in
'"status":"connected" "status":"stalled" "status":"connected" '*) ;;
*) fail "link sequence: $(cat "$WORK/links")" ;;
esac
echo "ok: $(cat "$WORK/links")"
