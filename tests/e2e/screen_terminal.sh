#!/usr/bin/env bash
# tests/e2e/screen_terminal.sh — the terminal is given back: after q, after
# SIGTERM (exit 0) and after a crash signal (SIGSEGV) the tty is out of
# raw mode again; library stderr goes to the log file, not the screen;
# NO_COLOR leaves no colour on screen while colours are used otherwise.
set -u
cd "$(dirname "$0")/../.."
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d)
sock=
stop() { [ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null; }
trap 'stop; rm -rf "$tmp"' EXIT
fail=0
n=0

# Runs lsrmon in tmux under a shell that records its exit status and the
# tty settings afterwards; $1 names the run.
start() {
	stop
	n=$((n + 1))
	sock="lsrterm$$-$n"
	local name=$1
	shift
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"sh -c 'echo \$\$ > $tmp/$name.pid; exec env LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp/state $* $LSRMON --speed max --pause-at 20'; echo \$? > $tmp/$name.rc; stty -a > $tmp/$name.stty; sleep 60"
}

wait_file() {
	local i
	for ((i = 0; i < 200 * LSR_TIME_FACTOR; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "timed out waiting for $1"
	return 1
}

wait_screen() {
	local i
	for ((i = 0; i < 200 * LSR_TIME_FACTOR; i++)); do
		tmux -L "$sock" capture-pane -p ${2:-} >"$tmp/screen" 2>/dev/null && grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $1"
	return 1
}

# The tty is back in cooked mode with echo: not "-icanon", not "-echo".
restored() { # name wanted-rc
	wait_file "$tmp/$1.stty" || { fail=1; return; }
	if grep -qE '(^| )-icanon( |$)|(^| )-echo( |$)' "$tmp/$1.stty"; then
		echo "FAIL: $1: terminal left in raw mode"; fail=1
	elif [ "$(cat "$tmp/$1.rc")" != "$2" ]; then
		echo "FAIL: $1: exit $(cat "$tmp/$1.rc"), wanted $2"; fail=1
	else
		echo "ok: $1"
	fi
}

start quit
wait_screen "Held at --pause-at" || fail=1
tmux -L "$sock" send-keys q
restored quit 0

start term
wait_screen "Held at --pause-at" || fail=1
kill -TERM "$(cat "$tmp/term.pid")"
restored term 0

# A crash: the handler restores the terminal, then dies of the signal
# (128 + 11).  Sanitizers catch SEGV themselves, so only without them.
if [ "${SANITIZE:-0}" != 1 ]; then
	start segv
	wait_screen "Held at --pause-at" || fail=1
	kill -SEGV "$(cat "$tmp/segv.pid")"
	restored segv 139
fi

# The log file exists where lsrmon(1) says.
[ -f "$tmp/state/lsrmon/lsrmon.log" ] || { echo "FAIL: no $tmp/state/lsrmon/lsrmon.log"; fail=1; }

# Colour: some SGR colour sequence with colours, none with NO_COLOR.
start colour
wait_screen "Held at --pause-at" -e || fail=1
grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|4[0-7])(;[0-9;]*)?m' "$tmp/screen" ||
	{ echo "FAIL: no colour on a colour terminal"; fail=1; }
start nocolour NO_COLOR=1
wait_screen "Held at --pause-at" -e || fail=1
if grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|4[0-7])(;[0-9;]*)?m' "$tmp/screen"; then
	echo "FAIL: colour with NO_COLOR"; fail=1
else
	echo "ok: NO_COLOR"
fi
exit $fail
