#!/usr/bin/env bash
# tests/e2e/screen_golden.sh — golden screens: lsrmon runs the simulated
# patient in tmux with --speed max --pause-at T (no wall-clock fields then,
# so the screen is a function of the stream), and capture-pane text is
# compared with tests/golden/*.txt: at 80x24 and 160x48, after key presses
# (mark, cancel, freeze, gain of one channel, re-baselining, help) and
# after resizes; every shipped layout at 80x24, 160x48 and 220x60 with its
# colours (capture-pane -e), where no cell may carry a background colour
# and no cell of a plot reverse video (screen_cells.py).
# LSR_GOLDEN_UPDATE=1 rewrites the stored screens (review them by eye).
cd "$(dirname "$0")/../.."
source tests/e2e/lib/screen.bash
golden=tests/golden

start() { # cols lines args...
	local w=$1 h=$2
	shift 2
	tmux_start "$w" "$h" "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp $LSRMON $*"
}

# tmux may show a frame half written: wait until two captures agree.
settle() {
	local i
	for ((i = 0; i < 100 * LSR_TIME_FACTOR; i++)); do
		sleep 0.05
		tmux -L "$sock" capture-pane -p >"$tmp/again" 2>/dev/null || return 1
		cmp -s "$tmp/screen" "$tmp/again" && return 0
		cp "$tmp/again" "$tmp/screen"
	done
	echo "screen never settled"
	return 1
}

# Compares the screen with a stored one, once the given texts are on it;
# CAPTURE_E=-e keeps the colours (the stored screen then has them too).
check() { # name text...
	local name=$1
	shift
	wait_for "$@" && settle || { fail=1; return; }
	if [ -n "${CAPTURE_E:-}" ]; then
		# Colours count: the cells' styles in one canonical form, which
		# fails where a cell has a background colour.
		tmux -L "$sock" capture-pane -p -e >"$tmp/raw" &&
			/usr/bin/python3 tests/e2e/screen_cells.py "$tmp/raw" >"$tmp/screen" ||
			{ echo "FAIL: $name: a cell has a background colour (or no capture)"; fail=1; }
	fi
	set -- "$name"
	if [ "${LSR_GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/screen" "$golden/$1.txt"
	elif ! diff -u "$golden/$1.txt" "$tmp/screen"; then
		echo "FAIL: screen $1 differs from $golden/$1.txt"
		fail=1
	else
		echo "ok: $1"
	fi
}

key() { tmux -L "$sock" send-keys "$@"; }

# 80x24, the standard layout: LSR present at 100 s.
start 80 24 --speed max --pause-at 100
check standard-80x24-present "Held at --pause-at"
# Marks: d, then u (offers the newest id), Enter, y.
key d
check standard-80x24-mark "Mark: Decompression"
key u
wait_for "Cancel mark id:" || fail=1
key Enter
wait_for "Cancel this mark?" || fail=1
key y
check standard-80x24-cancel "Mark: Cancel 1"
# The reference patient's baseline is still provisional here (its
# trial-to-trial CV is above baseline_cv): the first b confirms it, the
# second takes a new one (docs/interface.md "Baseline").
key b
wait_gone "(provisional)" || fail=1
key b
check standard-80x24-rebaseline "RE-BASELINING"
key Space
check standard-80x24-freeze "Display frozen"
# Tab selects channel 0: - changes its gain only (100 -> 200 uV/div).
key Tab
key -
check standard-80x24-gain "Gain ch0 200 uV/div"
key '?'
check standard-80x24-help "any key closes this help" "Held at --pause-at"
key Escape
# Resize: larger, then too small, then back.
tmux -L "$sock" resize-window -x 160 -y 48
check standard-160x48-resized "| FROZEN"
tmux -L "$sock" resize-window -x 70 -y 20
check too-small "Terminal too small: 70x20"
key q

# The disappearance banner where the detector says so: its time is the
# `since` of the headless run's disappeared state at the same pause.
since=$("$LSRMON" --headless --pause-at 200 | grep "\"type\":\"state\",\"state\":\"disappeared\"" | head -1 |
	sed 's/.*"since":\([0-9.]*\).*/\1/')
[ -n "$since" ] || { echo "FAIL: headless run has no disappeared state"; fail=1; }
s=${since%.*}
when=$(printf '+%02d:%02d:%02d' $((s / 3600)) $((s / 60 % 60)) $((s % 60)))
start 80 24 --speed max --pause-at 200
check standard-80x24-disappeared "Held at --pause-at" "LSR DISAPPEARED $when — AFTER DECOMPRESSION"
key q

# Every shipped layout at three sizes, colours included.
for layout in standard compact wide; do
	for size in 80x24 160x48 220x60; do
		start "${size%x*}" "${size#*x}" --speed max --pause-at 200 --layout "$layout"
		CAPTURE_E=-e check "$layout-$size" "Held at --pause-at"
		key q
	done
done

# A terminal of 8 colours: the layouts' amber (xterm colour 172, for the
# baseline and reduced) comes out as its nearest basic colour, yellow,
# never as the terminal's default or as red.
tmux_start 80 24 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen XDG_STATE_HOME=$tmp $LSRMON --speed max --pause-at 100"
if wait_for "Held at --pause-at" "Baseline ch0" && settle && tmux -L "$sock" capture-pane -p -e >"$tmp/raw" &&
	/usr/bin/python3 tests/e2e/screen_cells.py "$tmp/raw" >"$tmp/cells" &&
	grep -q '^. fg=3 ' "$tmp/cells" && ! grep -q 'fg=5:' "$tmp/cells"; then
	echo "ok: 8 colours"
else
	echo "FAIL: 8 colours: amber is not shown as yellow"
	fail=1
fi
key q

# Not UTF-8: ASCII only (no braille, no dashes).
tmux_start 80 24 "env LANG=C LC_ALL=C TERM=screen XDG_STATE_HOME=$tmp NO_COLOR=1 $LSRMON --speed max --pause-at 200"
if wait_for "Held at --pause-at" "LSR DISAPPEARED $when - AFTER DECOMPRESSION"; then
	if LC_ALL=C grep -q '[^ -~]' "$tmp/screen"; then
		echo "FAIL: non-ASCII on a C-locale screen"
		fail=1
	else
		echo "ok: ascii"
	fi
else
	fail=1
fi
exit $fail
