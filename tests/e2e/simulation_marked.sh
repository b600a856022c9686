#!/usr/bin/env bash
# tests/e2e/simulation_marked.sh — a simulation can never pass for a patient
# (man/lsrmon.1, SIMULATION).  The simulated patient on screen shows
# SIMULATION on the top row in every shipped layout at 80x24 and 160x48,
# while acquiring, held, under the help and when the terminal is too small;
# its start event, its recording's header and first annotation, the replay
# of that recording, its --repair copy and every page of each report
# (pdftotext, page by page) say so; the same for the fake amplifier, live
# through a pty and from its capture.  A stream whose device does not say
# SIMULATION (a capture recorded before fakeamp said so) is not marked.
. "$(dirname "$0")/lib/serial.bash"
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
sock=
stop() { [ -n "$sock" ] && tmux -L "$sock" kill-server 2>/dev/null; sock=; }
trap 'stop; cleanup' EXIT
runs=0
screen() { # cols lines args...
	local w=$1 h=$2; shift 2
	stop
	runs=$((runs + 1)); sock="lsrsim$$-$runs"
	tmux -L "$sock" -f /dev/null new-session -d -x "$w" -y "$h" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$WORK $LSRMON $*; sleep 60"
}
shows() { # text: the screen shows it (polled, bounded)
	local i
	for ((i = 0; i < 200 * TF; i++)); do
		tmux -L "$sock" capture-pane -p >"$WORK/screen" 2>/dev/null && grep -qF -- "$1" "$WORK/screen" && return 0
		sleep 0.05
	done
	return 1
}
top_says_sim() { head -n 1 "$WORK/screen" | grep -qF SIMULATION; }

# On screen: every shipped layout, both sizes, held at --pause-at.
for l in layouts/*.ini; do
	name=$(basename "$l" .ini)
	for size in "80 24" "160 48"; do
		screen $size --layout "$name" --speed max --pause-at 60
		shows "Held at --pause-at" || fail "$name ${size/ /x}: never held: $(cat "$WORK/screen")"
		top_says_sim || fail "$name ${size/ /x}: no SIMULATION on the top row: $(head -n 3 "$WORK/screen")"
	done
done
# From the first frame, under the help, and too small.
screen 80 24 --speed 1
shows "Mentalis" && grep -qF ACQUIRING "$WORK/screen" || fail "never acquiring: $(cat "$WORK/screen")"
top_says_sim || fail "acquiring: no SIMULATION: $(head -n 3 "$WORK/screen")"
tmux -L "$sock" send-keys '?'
shows "Keys (any key closes this help)" || fail "no help"
top_says_sim || fail "help: no SIMULATION: $(head -n 3 "$WORK/screen")"
tmux -L "$sock" send-keys x
tmux -L "$sock" resize-window -x 70 -y 20
shows "Terminal too small" || fail "not too small"
top_says_sim || fail "too small: no SIMULATION: $(cat "$WORK/screen")"
stop

# pages STEM: every page of STEM.pdf and the text report say SIMULATION.
pages() {
	local n p
	n=$(pdfinfo "$1.pdf" | awk '/^Pages:/ { print $2 }')
	[ "${n:-0}" -ge 2 ] || fail "$1.pdf: ${n:-no} pages"
	for ((p = 1; p <= n; p++)); do
		pdftotext -f "$p" -l "$p" "$1.pdf" - | grep -qF SIMULATION || fail "$1.pdf page $p: no SIMULATION"
	done
	grep -qx 'simulation: SIMULATION: a simulated patient, not a patient record' "$1.txt" ||
		fail "$1.txt: no simulation line"
}
# start STREAM: its first start event is marked, with the warning.
marked() {
	$py - "$1" <<-'PY' || fail "$1: start not marked"
	import json, sys
	s = next(json.loads(l) for l in open(sys.argv[1]) if '"type":"start"' in l)
	assert s['simulation'] is True, s
	assert 'SIMULATION: a simulated patient, not a patient' in s['warnings'], s['warnings']
	PY
}
# header FILE: the EDF recording field (bytes 88-167) and the first annotation.
header() {
	dd if="$1" bs=1 skip=88 count=80 status=none | grep -qF 'lsrmon_SIMULATION SIMULATED_PATIENT' ||
		fail "$1: recording field $(dd if="$1" bs=1 skip=88 count=80 status=none)"
	$py - "$1" <<-'PY' || fail "$1: first annotation"
	import sys, mne
	f = sys.argv[1]
	raw = (mne.io.read_raw_bdf if f.endswith('.bdf') else mne.io.read_raw_edf)(f, verbose='error')
	first = raw.annotations.description[0]
	assert first == 'lsrmon: SIMULATION: a simulated patient, not a patient record', first
	PY
}

# The simulated patient: live, recorded, replayed, repaired.
"$LSRMON" --headless --duration 60 --record "$WORK/sim.bdf" --report "$WORK/live" >"$WORK/live.jsonl" ||
	fail "simulated run exited $?"
marked "$WORK/live.jsonl"; header "$WORK/sim.bdf"; pages "$WORK/live"
"$LSRMON" --headless --replay "$WORK/sim.bdf" --report "$WORK/replay" >"$WORK/replay.jsonl" ||
	fail "replay exited $?"
marked "$WORK/replay.jsonl"; pages "$WORK/replay"
"$LSRMON" --repair "$WORK/sim.bdf" >/dev/null 2>&1 || fail "--repair exited $?"
header "$WORK/sim.repaired.bdf"
"$LSRMON" --headless --replay "$WORK/sim.repaired.bdf" --report "$WORK/repaired" >"$WORK/repaired.jsonl" ||
	fail "replay of the repaired copy exited $?"
marked "$WORK/repaired.jsonl"; pages "$WORK/repaired"

# The fake amplifier: its capture, recorded to EDF+ and reported.
"$FAKEAMP" --write "$WORK/amp.lsrb" --sim classic --duration 60 || fail "fakeamp --write"
"$LSRMON" --headless --replay "$WORK/amp.lsrb" --record "$WORK/amp.edf" --report "$WORK/amp" \
	>"$WORK/amp.jsonl" || fail "capture replay exited $?"
marked "$WORK/amp.jsonl"; header "$WORK/amp.edf"; pages "$WORK/amp"
"$LSRMON" --headless --replay "$WORK/amp.edf" >"$WORK/amp-edf.jsonl" || fail "replay of amp.edf exited $?"
marked "$WORK/amp-edf.jsonl"
# ... and live through a pty: start, and the screen.
"$FAKEAMP" --link "$WORK/pty" --sim classic --duration 60 --seconds 30 >/dev/null 2>&1 &
PIDS+=("$!")
wait_for 5 test -e "$WORK/pty" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/pty" >"$WORK/port.jsonl" 2>"$WORK/port.err" &
LSR=$!; PIDS+=("$LSR")
wait_for $((10 * TF)) grep -q '"type":"start"' "$WORK/port.jsonl" || fail "no start from the port: $(cat "$WORK/port.err")"
kill -TERM "$LSR"; wait "$LSR"
marked "$WORK/port.jsonl"
screen 80 24 --port "$WORK/pty"
shows "Mentalis" || fail "port screen: $(cat "$WORK/screen")"
top_says_sim || fail "port screen: no SIMULATION: $(head -n 3 "$WORK/screen")"
stop

# Not marked: bytes whose device does not say SIMULATION.
"$LSRMON" --headless --replay fixtures/wave.lsrb --report "$WORK/wave" >"$WORK/wave.jsonl" || fail "wave.lsrb: exit $?"
grep -q '"simulation":false' "$WORK/wave.jsonl" || fail "wave.lsrb marked as a simulation"
! grep -q SIMULATION "$WORK/wave.txt" && ! pdftotext "$WORK/wave.pdf" - | grep -q SIMULATION ||
	fail "wave.lsrb report says SIMULATION"
echo "ok: $runs screens, sim/replay/repair/fakeamp marked, a device that does not say so unmarked"
