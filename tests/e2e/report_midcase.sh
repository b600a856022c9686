#!/usr/bin/env bash
# tests/e2e/report_midcase.sh — `R` during a case, after the LSR has
# disappeared after decompression (the simulated classic case held at
# 200 s, 50 s after its Decompression mark): the report says IN PROGRESS
# and the current state with its phase, not a final status.  Then the
# case details' refusals: a layout holding a patient's own detail, a bad
# case file, and --patient beside a case file's patient each exit 2 with
# the file and line.
set -u
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d); sock=lsr-midcase-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "$*"; exit 1; }
until_ok() {
	local n=$(( $1 * LSR_TIME_FACTOR )); shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1)); [ "$n" -gt 0 ] || return 1; sleep 0.1
	done
}
shown() { tmux -L "$sock" capture-pane -p | grep -q "$1"; }
cd "$tmp" || exit 1
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 30 \
	"LANG=C.UTF-8 TERM=xterm-256color '$LSRMON' --speed max --pause-at 200; sleep 30"
until_ok 300 shown 'Held at --pause-at' || { tmux -L "$sock" capture-pane -p; fail "never held at 200 s"; }
tmux -L "$sock" send-keys R
# The text is written first, then the PDF: done when the status line says
# where the report went.
until_ok 100 shown 'Report written' || { tmux -L "$sock" capture-pane -p; fail "R wrote no report"; }
txt=$(ls lsrmon-report-*.txt) || fail "no report file"
grep -qx 'final: in_progress' "$txt" || fail "mid-case final: $(grep '^final:' "$txt")"
grep -qx 'current_state: disappeared' "$txt" || fail "$(grep '^current_state:' "$txt")"
grep -qx 'current_phase: after_decompression' "$txt" || fail "$(grep '^current_phase:' "$txt")"
grep -q '^summary: Case in progress\..*currently disappeared after decompression since [0-9:]*' "$txt" ||
	fail "summary: $(grep '^summary:' "$txt")"
pdftotext -layout "${txt%.txt}.pdf" - | grep -q 'IN PROGRESS — currently DISAPPEARED after decompression' ||
	fail "the PDF does not say IN PROGRESS with the current state"
echo "mid-case R: $(grep '^summary:' "$txt")"

# Refusals, with file and line.
printf '[layout]\nrows = *\n[pane b]\ntype = banner\nrow = 1\n[case]\npatient = Last Patient\n' >"$tmp/l.ini"
out=$("$LSRMON" --headless --duration 60 --layout "$tmp/l.ini" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q "$tmp/l.ini:7: .*--case" <<<"$out" || fail "layout with a patient: rc $rc, '$out'"
printf '[case]\nsurgeon = A\nward = 2\n' >"$tmp/c.ini"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/c.ini" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q "$tmp/c.ini:3: unknown case detail" <<<"$out" || fail "bad case file: rc $rc, '$out'"
printf '[case]\npatient = A B C D\n' >"$tmp/p.ini"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/p.ini" --patient "E F G H" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q -- "--patient" <<<"$out" || fail "two patients: rc $rc, '$out'"
echo "refused: layout patient, unknown case detail, two patients"
