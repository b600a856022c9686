#!/usr/bin/env bash
# tests/e2e/refused_inputs.sh — inputs are what they claim to be
# (man/lsrmon.1, --replay, --port): a file that is not a recording or a raw
# capture, or whose content is not what its name says, exits 2 with a
# message naming the file and the expected format, and nothing is written —
# no recording, no report, never the simulated patient in its place.  A
# path that is no tty, pty or FIFO is no --port; a terminal that cannot
# address the cursor is refused, pointing to --headless.
. "$(dirname "$0")/lib/serial.bash"

in=$WORK/in out=$WORK/out
mkdir -p "$in" "$out"
cp README.md "$in/README.md"
cp man/report-example.png "$in/picture.png"
printf '{"t":0,"type":"start"}\n{"t":1,"type":"end"}\n' >"$in/events.jsonl"
cp README.md "$in/text.bdf"
cp README.md "$in/text.edf"
cp README.md "$in/notes.txt"                 # prose read by the ascii driver
head -c 4096 /dev/urandom | tr -d '\245\240' >"$in/noise.lsrb"
head -c 3300 /dev/urandom | tr -d '\240' >"$in/noise.obci"
for e in bdf edf lsrb txt obci; do : >"$in/empty.$e"; done
cp fixtures/classic.edf "$in/edf-named.bdf"  # an EDF+ file behind a BDF name

# file  words of the expected format the message must hold
cases=(
	"README.md|recording (.bdf, .edf) or a raw capture"
	"picture.png|recording (.bdf, .edf) or a raw capture"
	"events.jsonl|recording (.bdf, .edf) or a raw capture"
	"text.bdf|BDF header"
	"text.edf|EDF header"
	"edf-named.bdf|BDF header"
	"notes.txt|rate=N channels=N"
	"noise.lsrb|LSRB frames"
	"noise.obci|OpenBCI Cyton packets"
	"empty.bdf|BDF header"
	"empty.edf|EDF header"
	"empty.lsrb|LSRB frames"
	"empty.txt|rate=N channels=N"
	"empty.obci|OpenBCI Cyton packets"
)
for c in "${cases[@]}"; do
	f=${c%%|*} want=${c#*|}
	for mode in --headless ""; do
		rc=0
		TERM=xterm "$LSRMON" $mode --replay "$in/$f" --record "$out/rec.bdf" --report "$out/rep" \
			>"$WORK/stdout" 2>"$WORK/err" </dev/null || rc=$?
		[ "$rc" = 2 ] || fail "--replay $f ${mode:-(screen)}: exit $rc, expected 2: $(cat "$WORK/err")"
		grep -qF -- "$in/$f" "$WORK/err" || fail "--replay $f: the message does not name it: $(cat "$WORK/err")"
		grep -qF -- "$want" "$WORK/err" || fail "--replay $f: the message does not say '$want': $(cat "$WORK/err")"
		[ ! -s "$WORK/stdout" ] || fail "--replay $f: wrote events: $(head -c 300 "$WORK/stdout")"
		[ -z "$(ls -A "$out")" ] || fail "--replay $f: wrote $(ls "$out")"
	done
done
# With --driver the extension does not matter, the content still does.
rc=0
"$LSRMON" --headless --replay "$in/README.md" --driver lsrb >"$WORK/stdout" 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -qF "LSRB frames" "$WORK/err" || fail "--driver lsrb README.md: exit $rc: $(cat "$WORK/err")"
cp fixtures/wave.lsrb "$in/wave.bin"
"$LSRMON" --headless --replay "$in/wave.bin" --driver lsrb >"$WORK/stdout" 2>"$WORK/err" ||
	fail "--driver lsrb wave.bin: exit $?: $(cat "$WORK/err")"
grep -q '"source":"replay"' "$WORK/stdout" || fail "wave.bin did not replay"
rc=0
"$LSRMON" --headless --replay "$in/README.md" --driver sim >"$WORK/stdout" 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && [ ! -s "$WORK/stdout" ] || fail "--driver sim --replay: exit $rc: $(cat "$WORK/err")"

# --port: a regular file, /dev/null and a directory are no ports.
for p in /etc/passwd /dev/null /tmp; do
	rc=0
	"$LSRMON" --headless --port "$p" >"$WORK/stdout" 2>"$WORK/err" || rc=$?
	[ "$rc" = 2 ] || fail "--port $p: exit $rc, expected 2: $(cat "$WORK/err")"
	grep -qF -- "$p" "$WORK/err" && grep -qF "tty, a pty or a FIFO" "$WORK/err" ||
		fail "--port $p: message '$(cat "$WORK/err")'"
	[ ! -s "$WORK/stdout" ] || fail "--port $p wrote events"
done

# A terminal without cursor addressing, or one terminfo does not know.
for t in dumb no-such-terminal; do
	rc=0
	TERM=$t "$LSRMON" --record "$out/rec.bdf" >"$WORK/stdout" 2>"$WORK/err" </dev/null || rc=$?
	[ "$rc" = 2 ] || fail "TERM=$t: exit $rc, expected 2: $(cat "$WORK/err")"
	grep -qF -- "--headless" "$WORK/err" || fail "TERM=$t: message '$(cat "$WORK/err")'"
	[ -z "$(ls -A "$out")" ] || fail "TERM=$t: wrote $(ls "$out")"
done
echo "ok: ${#cases[@]} files refused, 3 non-ports, 2 terminals"
