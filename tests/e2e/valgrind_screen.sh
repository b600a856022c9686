#!/usr/bin/env bash
# tests/e2e/valgrind_screen.sh — a short screen session under valgrind
# memcheck in tmux (the simulated patient at max speed to --pause-at 20,
# quit with q): no invalid access, no use of uninitialised values, no leak
# (definite or possible), exit status 0.  Skipped under sanitizers (ASan
# and valgrind do not mix).  LSR_VALGRIND_LOG=FILE keeps the log.
set -u
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
[ "${SANITIZE:-0}" = 1 ] && { echo "skipped under sanitizers"; exit 0; }
command -v valgrind > /dev/null || { echo "valgrind missing (make deps installs it)"; exit 1; }
tmp=$(mktemp -d)
sock="lsrvg$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; [ -n "${LSR_VALGRIND_LOG:-}" ] && cp "$tmp/vg" "$LSR_VALGRIND_LOG"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/vg" 2>/dev/null | tail -40; exit 1; }
until_ok() {
	local n=$1; shift
	for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.1; done
	return 1
}
tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp \
	sh -c 'valgrind --error-exitcode=99 --leak-check=full --log-file=$tmp/vg \
	$LSRMON --speed max --pause-at 20 --duration 60; echo EXIT=\$?; sleep 60'"
held() { tmux -L "$sock" capture-pane -p | grep -q 'Held at --pause-at'; }
until_ok 1200 held || fail "the screen never reached --pause-at: $(tmux -L "$sock" capture-pane -p)"
tmux -L "$sock" send-keys q
exited() { tmux -L "$sock" capture-pane -p | grep -q '^EXIT='; }
until_ok 600 exited || fail "lsrmon did not quit on q"
tmux -L "$sock" capture-pane -p | grep -q '^EXIT=0$' || fail "exit $(tmux -L "$sock" capture-pane -p | grep EXIT=)"
grep -q 'ERROR SUMMARY: 0 errors' "$tmp/vg" || fail "memcheck reported errors"
grep -q 'definitely lost: 0 bytes' "$tmp/vg" || grep -q 'All heap blocks were freed' "$tmp/vg" || fail "a leak"
echo "valgrind: clean"
