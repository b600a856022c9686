#!/usr/bin/env bash
# tests/e2e/report_midcase.sh — `R` during a case, after the LSR has
# disappeared after decompression (the simulated classic case held at
# 200 s, 50 s after its Decompression mark): the report says IN PROGRESS
# and the current state with its phase, not a final status.  Then the
# case details' refusals: a layout holding a patient's own detail, a bad
# case file, and --patient beside a case file's patient each exit 2 with
# the file and line; a layout's team defaults reach the report under a
# case file that names none of them.
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
# Its longer head stays on the page (it once ran past the right edge).
pdftotext -bbox "${txt%.txt}.pdf" - | /usr/bin/python3 -c '
import re, sys
bad = [w for x0, x1, w in re.findall(r"<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\" [^>]*>([^<]*)<",
       sys.stdin.read()) if float(x0) < 20 or float(x1) > 595.28 - 20]
sys.exit(bad and print("past the margin:", bad) or 0)' || fail "mid-case report: text runs off the page"
echo "mid-case R: $(grep '^summary:' "$txt")"

# Refusals, with file and line.
# A layout is reused from case to case: none of the patient's own details
# may come from it, and the team's defaults it may give reach the report
# unless the case file names its own.
for own in patient side surgeon notes; do
	printf '[layout]\nrows = *\n[pane b]\ntype = banner\nrow = 1\n[case]\nprocedure = MVD\n%s = left\n' \
		"$own" >"$tmp/l.ini"
	out=$("$LSRMON" --headless --duration 60 --layout "$tmp/l.ini" 2>&1 >/dev/null); rc=$?
	[ "$rc" = 2 ] && grep -q "$tmp/l.ini:8: .*--case" <<<"$out" || fail "layout with $own: rc $rc, '$out'"
done
printf '[layout]\nrows = *\n[pane b]\ntype = banner\nrow = 1\n[case]\nprocedure = MVD\nneurophysiologist = Room Default\nanaesthesia = TIVA\nelectrodes = needle\n' >"$tmp/team.ini"
printf '[case]\nneurophysiologist = On Call Today\n' >"$tmp/today.ini"
"$LSRMON" --headless --duration 60 --layout "$tmp/team.ini" --case "$tmp/today.ini" --report "$tmp/team" \
	>/dev/null || fail "layout defaults: exit $?"
for kv in 'case_procedure: MVD' 'case_anaesthesia: TIVA' 'case_electrodes: needle' \
	'case_neurophysiologist: On Call Today' 'patient: anonymous' 'case_side: '; do
	grep -qx "$kv" "$tmp/team.txt" || fail "layout defaults under --case: no '$kv' line"
done
printf '[case]\nsurgeon = A\nward = 2\n' >"$tmp/c.ini"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/c.ini" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q "$tmp/c.ini:3: unknown case detail" <<<"$out" || fail "bad case file: rc $rc, '$out'"
printf '[case]\npatient = A B C D\n' >"$tmp/p.ini"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/p.ini" --patient "E F G H" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q -- "--patient" <<<"$out" || fail "two patients: rc $rc, '$out'"
printf '[case]\nside = up\n' >"$tmp/s.ini"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/s.ini" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q "$tmp/s.ini:2: side" <<<"$out" || fail "side up: rc $rc, '$out'"
out=$("$LSRMON" --headless --duration 60 --case "$tmp/none.ini" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && grep -q "$tmp/none.ini" <<<"$out" || fail "missing case file: rc $rc, '$out'"
echo "refused: a layout's patient, side, surgeon, notes; unknown case detail, bad side, missing file, two patients"
echo "layout defaults: the team's, the case file's own first"
