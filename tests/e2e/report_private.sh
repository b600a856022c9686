#!/usr/bin/env bash
# tests/e2e/report_private.sh — the case details (--case) go where they
# belong and nowhere else: into the recording (the patient in the header's
# patient field, every detail in its case annotation) and the report
# (both files 0600 whatever the umask), never into the JSON Lines, stderr
# or OSC — live, and again when the recording is replayed.  --patient
# alone still names the patient.
set -u
: "${LSRMON:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
until_ok() {
	local n=$(( $1 * LSR_TIME_FACTOR )); shift
	for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.02; done
	return 1
}
umask 022
# Each value is one word a leak would keep whole, whatever EDF+ does to blanks.
cat >"$tmp/case.ini" <<'INI'
[case]
patient = MRN998877 F 02-FEB-1960 Roe_Private
procedure = Proc_Secret_MVD
side = right
surgeon = Surgeon_Secret
neurophysiologist = Neuro_Secret
anaesthesia = Anaes_Secret
electrodes = Electrodes_Secret
notes = Notes_Secret
INI
words=(MRN998877 Roe_Private Proc_Secret_MVD Surgeon_Secret Neuro_Secret Anaes_Secret
	Electrodes_Secret Notes_Secret)

/usr/bin/python3 -u "$(dirname "$0")/lib/osc_keep.py" "$tmp/osc" &
rx=$!; pids+=($rx)
until_ok 250 test -s "$tmp/osc.port" || fail "no OSC receiver"
port=$(cat "$tmp/osc.port")
osc=(--osc "osc.udp://127.0.0.1:$port/")

"$LSRMON" --headless --duration 60 --case "$tmp/case.ini" --record "$tmp/c.bdf" --report "$tmp/live" \
	"${osc[@]}" >"$tmp/live.jsonl" 2>"$tmp/live.err" || fail "live run: $(cat "$tmp/live.err")"
"$LSRMON" --headless --replay "$tmp/c.bdf" --report "$tmp/rep" "${osc[@]}" \
	>"$tmp/rep.jsonl" 2>"$tmp/rep.err" || fail "replay: $(cat "$tmp/rep.err")"
# UDP keeps order on loopback: after "quit" the receiver has written all.
printf quit >"/dev/udp/127.0.0.1/$port"
wait "$rx"
[ -s "$tmp/osc" ] || fail "no OSC received"

for f in "$tmp/live.txt" "$tmp/live.pdf" "$tmp/rep.txt" "$tmp/rep.pdf"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f has mode $(stat -c %a "$f"), not 600"
done
# Positive controls: the recording and both reports carry every detail.
head -c 88 "$tmp/c.bdf" | grep -q 'MRN998877 F 02-FEB-1960 Roe_Private' || fail "the header lacks the patient"
for w in "${words[@]}"; do
	grep -aq "$w" "$tmp/c.bdf" || fail "the recording lacks $w"
	for r in live rep; do
		grep -q "$w" "$tmp/$r.txt" || fail "$r.txt lacks $w"
		pdftotext "$tmp/$r.pdf" - | grep -q "$w" || fail "$r.pdf lacks $w"
	done
done
for f in "$tmp/live.jsonl" "$tmp/live.err" "$tmp/rep.jsonl" "$tmp/rep.err" "$tmp/osc"; do
	for w in "${words[@]}"; do
		grep -aq "$w" "$f" && fail "$w leaks into ${f##*/}"
	done
done
# --patient alone still names the patient, in the header and the report.
"$LSRMON" --headless --duration 60 --patient "MRN445566 M 03-MAR-1970 Doe_Patient" -o "$tmp/p.bdf" \
	--report "$tmp/p" >/dev/null || fail "--patient run: exit $?"
head -c 88 "$tmp/p.bdf" | grep -q 'MRN445566 M 03-MAR-1970 Doe_Patient' || fail "--patient: not in the header"
grep -qx 'patient: MRN445566 M 03-MAR-1970 Doe_Patient' "$tmp/p.txt" || fail "--patient: not in the report"
pdftotext "$tmp/p.pdf" - | grep -q 'MRN445566 M 03-MAR-1970 Doe_Patient' || fail "--patient: not on the PDF"
echo "case details: in the recording and the reports (0600), not in JSON, stderr or OSC, live or replayed"
