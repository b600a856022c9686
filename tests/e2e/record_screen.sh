#!/usr/bin/env bash
# tests/e2e/record_screen.sh — a full disk (RLIMIT_FSIZE) while recording
# on screen: the console stays up, the event list shows the disk alarm, the
# status line says why the recording stopped, monitoring goes on (the
# trial counter keeps rising), and the file is valid up to there.
set -u
cd "$(dirname "$0")"
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d)
sock="lsrrec$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

# 40 rows: the event list (newest first) must reach back past the
# baselines' entries (provisional, then precise) to the disk alarm, which
# comes a few seconds into the case.
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp \
	prlimit --fsize=400000 $LSRMON --speed max --pause-at 50 --record $tmp/f.bdf; sleep 60"

# Polls the screen until it shows every given text (a condition, bounded).
wait_for() {
	local i t ok
	for ((i = 0; i < 200 * LSR_TIME_FACTOR; i++)); do
		if tmux -L "$sock" capture-pane -p > "$tmp/screen" 2> /dev/null; then
			ok=1
			for t in "$@"; do grep -qF -- "$t" "$tmp/screen" || ok=0; done
			[ $ok = 1 ] && return 0
		fi
		sleep 0.05
	done
	echo "screen never showed: $*"; cat "$tmp/screen"; return 1
}

wait_for "ALARM disk" "stopped: File too large" "stim 50 " || exit 1
grep -q "LSR PRESENT" "$tmp/screen" || { echo "monitoring did not go on"; cat "$tmp/screen"; exit 1; }
[ "$(stat -c %s "$tmp/f.bdf")" -le 400000 ] || exit 1
edfdump "$tmp/f.bdf" | head -1 | grep -q '^H 4 [1-9]' || { echo "file not valid"; exit 1; }
echo "full disk on screen: alarm shown, monitoring went on, file valid"
