# tests/e2e/lib/screen.bash — shared helpers of the screen end-to-end tests:
# lsrmon in its own tmux server (a server being killed cannot be reused),
# a scratch directory, and waiting on what the screen shows.
set -u
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d)
sock=
runs=0
stop() { [ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null; }
trap 'stop; rm -rf "$tmp"' EXIT
fail=0

# tmux_start COLS LINES COMMAND [TMUX-COMMANDS...]: a new server running
# COMMAND (then a shell sleep, so the last screen stays to be read).
tmux_start() {
	local w=$1 h=$2 cmd=$3
	shift 3
	stop
	runs=$((runs + 1))
	sock="lsrscreen$$-$runs"
	tmux -L "$sock" -f /dev/null new-session -d -x "$w" -y "$h" "$cmd; sleep 60" "$@"
}

# wait_for TEXT...: polls the screen (into $tmp/screen) until it shows every
# text; bounded, and says what it saw when it gives up.
wait_for() {
	local i t ok
	for ((i = 0; i < 400 * LSR_TIME_FACTOR; i++)); do
		if tmux -L "$sock" capture-pane -p >"$tmp/screen" 2>/dev/null; then
			ok=1
			for t in "$@"; do grep -qF -- "$t" "$tmp/screen" || ok=0; done
			[ $ok = 1 ] && return 0
		fi
		sleep 0.05
	done
	echo "timed out waiting for: $*"
	cat "$tmp/screen"
	return 1
}

# Until the screen no longer shows text (bounded like wait_for).
wait_gone() {
	local i
	for ((i = 0; i < 400 * LSR_TIME_FACTOR; i++)); do
		if tmux -L "$sock" capture-pane -p >"$tmp/screen" 2>/dev/null &&
			! grep -qF -- "$1" "$tmp/screen"; then
			return 0
		fi
		sleep 0.05
	done
	echo "timed out waiting for the screen to lose: $1"
	cat "$tmp/screen"
	return 1
}
