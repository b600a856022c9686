#!/usr/bin/env bash
# tests/e2e/signals.sh — SIGTERM, SIGINT and SIGHUP at random moments while
# recording: headless (real time and --speed max), exit 0, `end` is the
# last event and the recording opens in EDFlib; on screen in tmux, exit 0
# and the terminal restored (normal screen, the shell's own output after
# it).  The moments come from a seed printed for reproduction.
set -u
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d)
sock=
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; [ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
seed=${LSR_SIGNAL_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "signals.sh: seed $seed (LSR_SIGNAL_SEED to repeat)"
fail() { echo "FAIL: $*"; exit 1; }

# until N CMD...: polls CMD every 20 ms, at most N × 20 ms × time factor.
until_ok() {
	local n=$(( $1 * LSR_TIME_FACTOR )); shift
	for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.02; done
	return 1
}
has_start() { grep -q '"type":"start"' "$1" 2>/dev/null; }

k=0
for sig in TERM INT HUP; do
	for speed in 1 max; do
		k=$((k + 1))
		f="$tmp/h$k.bdf" out="$tmp/h$k.jsonl"
		"$LSRMON" --headless --speed $speed --duration 1800 --record "$f" \
			--osc-listen 0 > "$out" 2> "$tmp/err" &
		pid=$!
		until_ok 250 has_start "$out" || fail "no start event ($sig, speed $speed)"
		delay=$(( RANDOM % 1500 ))
		sleep "$(printf '0.%03d' "$delay")"
		kill -s $sig "$pid"
		rc=0; wait "$pid" || rc=$?; pid=
		[ "$rc" = 0 ] || fail "SIG$sig after ${delay} ms (speed $speed): exit $rc; $(cat "$tmp/err")"
		tail -1 "$out" | grep -q '"type":"end"' || fail "SIG$sig (speed $speed): end is not last"
		edfdump "$f" > /dev/null || fail "SIG$sig (speed $speed): recording not valid"
		[ "$(stat -c %a "$f")" = 600 ] || fail "recording mode $(stat -c %a "$f")"
	done
done

# On screen: the signal goes to lsrmon, the pane's shell then prints its
# exit status; tmux says whether the alternate screen is still on.
for sig in TERM INT HUP; do
	k=$((k + 1))
	# A server of its own each time: a killed one may still be going away.
	[ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null
	sock="lsrsig$$-$k"
	tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp \
		sh -c '$LSRMON --record $tmp/s$k.bdf --duration 600; echo EXIT=\$?; sleep 30'"
	shell=$(tmux -L "$sock" display -p '#{pane_pid}')
	screen_up() { [ "$(tmux -L "$sock" display -p '#{alternate_on}')" = 1 ] && pgrep -P "$shell" > /dev/null; }
	until_ok 250 screen_up || fail "screen never came up"
	sleep "$(printf '0.%03d' $(( RANDOM % 1500 )))"
	kill -s $sig "$(pgrep -P "$shell")"
	exited() { tmux -L "$sock" capture-pane -p | grep -q '^EXIT='; }
	until_ok 250 exited || fail "SIG$sig on screen: lsrmon did not exit"
	tmux -L "$sock" capture-pane -p > "$tmp/screen"
	grep -q '^EXIT=0$' "$tmp/screen" || fail "SIG$sig on screen: $(grep EXIT= "$tmp/screen")"
	[ "$(tmux -L "$sock" display -p '#{alternate_on}')" = 0 ] || fail "SIG$sig: alternate screen still on"
	[ "$(tmux -L "$sock" display -p '#{cursor_flag}')" = 1 ] || fail "SIG$sig: cursor still hidden"
	edfdump "$tmp/s$k.bdf" > /dev/null || fail "SIG$sig on screen: recording not valid"
done
echo "signals: 6 headless and 3 screen stops, all clean"
