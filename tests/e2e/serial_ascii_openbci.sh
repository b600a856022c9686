#!/usr/bin/env bash
# tests/e2e/serial_ascii_openbci.sh — the ascii and openbci drivers through
# a pty: stimuli from the sync input arrive; openbci streams only after
# lsrmon has sent its start bytes, as a Cyton does.
. "$(dirname "$0")/lib/serial.bash"

for fmt in ascii openbci; do
	"$FAKEAMP" --link "$WORK/$fmt" --format "$fmt" --seconds 4.5 --start-delay 0.5 \
		>/dev/null 2>"$WORK/$fmt.err" &
	AMP=$!; PIDS+=("$AMP")
	wait_for 5 test -e "$WORK/$fmt" || fail "$fmt: fakeamp made no link"
	"$LSRMON" --headless --port "$WORK/$fmt" --driver "$fmt" >"$WORK/$fmt.jsonl" 2>"$WORK/$fmt.lerr" &
	LIVE=$!; PIDS+=("$LIVE")
	wait "$AMP"
	kill -TERM "$LIVE"
	wait "$LIVE" || fail "$fmt: lsrmon exited $?: $(cat "$WORK/$fmt.lerr")"
	n=$(count '"type":"stim"' "$WORK/$fmt.jsonl")
	[ "$n" -ge 3 ] || fail "$fmt: $n stimuli in 4 s, expected 5"
	grep -q "\"driver\":\"$fmt\"" "$WORK/$fmt.jsonl" || fail "$fmt: start.driver missing"
	echo "ok: $fmt, $n stimuli"
done
