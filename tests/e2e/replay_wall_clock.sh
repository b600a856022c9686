#!/usr/bin/env bash
# tests/e2e/replay_wall_clock.sh — one wall clock (src/clock.h): in a
# replay, wall time is the recording's start plus stream time, for the
# recording made from it and the report alike; the screen shows stream
# time.  The fixture's
# start is pinned to 2026-01-01 00:00:00 (fixtures/mkfix.py pin-date), in
# the header's local time, so every date below is that one.
set -u
cd "$(dirname "$0")/../.."
: "${LSRMON:?}"
tmp=$(mktemp -d); sock="lsrwall$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
fix=fixtures/premature.bdf
[ "$(head -c 184 "$fix" | tail -c 16)" = "01.01.2600.00.00" ] || fail "$fix: start not pinned"

"$LSRMON" --headless --replay "$fix" --pause-at 5 --record "$tmp/copy.bdf" --report "$tmp/rep" \
	>/dev/null || fail "replay exit $?"
got=$(head -c 184 "$tmp/copy.bdf" | tail -c 16)
[ "$got" = "01.01.2600.00.00" ] || fail "the recording made from a replay starts $got"
grep -q '^case_start: 1 Jan 2026 00:00:00 ' "$tmp/rep.txt" || fail "report: $(grep case_start "$tmp/rep.txt")"

# On screen a replay keeps one time format, stream time, whatever its
# speed (docs/interface.md "Keys", replay review): the log dates its
# first event +00:00:00, not by when the replay was started.
tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
	"env LANG=C.UTF-8 XDG_STATE_HOME=$tmp $LSRMON --replay $fix --speed 1; sleep 60"
for ((i = 0; i < 200 * ${LSR_TIME_FACTOR:-1}; i++)); do
	tmux -L "$sock" capture-pane -p >"$tmp/screen" 2>/dev/null &&
		grep -q "Start segment 1" "$tmp/screen" && break
	sleep 0.05
done
grep -q "+00:00:00 Start segment 1:" "$tmp/screen" || { cat "$tmp/screen"; fail "screen clock"; }
echo "ok: recording and report dated 2026-01-01 00:00:00, the screen in stream time"
