#!/usr/bin/env bash
# tests/e2e/hostile_recordings.sh — recordings whose header lies about the
# sizes (record count, signal count, header length, samples per record,
# record duration) are refused on replay with exit 2 and a message naming
# the file, never a crash, and by --repair too unless the lie is the record
# count, which it rebuilds; --repair of a file damaged
# inside (not only cut off) writes nothing rather than a copy that only
# looks repaired; a good crashed file still repairs.
set -eu
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
rec_synth "$dir/good.bdf" 0.5 > /dev/null
size=$(stat -c %s "$dir/good.bdf")

# lie NAME OFFSET TEXT: a copy of good.bdf with TEXT written at OFFSET.
lie() {
	cp "$dir/good.bdf" "$dir/$1.bdf"
	printf '%s' "$3" | dd of="$dir/$1.bdf" bs=1 seek="$2" conv=notrunc status=none
}
lie records 236 '99999999'
lie records_neg 236 '-1      '
lie signals 252 '9999'
lie signals_zero 252 '0   '
lie header 184 '99999   '
lie duration 244 '1e300   '
lie spr 1336 '99999999'   # signal 0's samples per record: 256 + 5 signals × 216

refused() { # FILE: exit 2, a message naming the file, no sanitizer report
	local f=$1 rc=0
	"$LSRMON" --headless --replay "$f" > "$dir/out" 2> "$dir/err" || rc=$?
	[ "$rc" = 2 ] || { echo "replay of $f: exit $rc, expected 2"; cat "$dir/err"; exit 1; }
	grep -q "${f##*/}" "$dir/err" || { echo "replay of $f: message does not name it"; cat "$dir/err"; exit 1; }
}
for n in records records_neg signals signals_zero header duration spr; do
	refused "$dir/$n.bdf"
	case $n in records*) # the count is what --repair rebuilds from the size
		"$LSRMON" --repair "$dir/$n.bdf" 2> "$dir/err"
		"$LSRMON" --headless --replay "$dir/$n.repaired.bdf" | tail -1 | grep -q '"type":"end"'
		continue;;
	esac
	rc=0; "$LSRMON" --repair "$dir/$n.bdf" > /dev/null 2> "$dir/err" || rc=$?
	[ "$rc" = 2 ] || { echo "--repair of $n.bdf: exit $rc, expected 2"; cat "$dir/err"; exit 1; }
	[ ! -e "$dir/$n.repaired.bdf" ] || { echo "--repair of $n.bdf wrote a copy"; exit 1; }
done

# Damaged inside: one byte lost in the middle (every later record shifted,
# annotations garbled), then cut off mid-record as a crash would leave it.
{ head -c 3000 "$dir/good.bdf"; tail -c +3002 "$dir/good.bdf" | head -c $((size - 3001 - 700)); } > "$dir/inside.bdf"
rc=0; "$LSRMON" --repair "$dir/inside.bdf" > /dev/null 2> "$dir/err" || rc=$?
[ "$rc" = 2 ] || { echo "--repair of a file damaged inside: exit $rc, expected 2"; cat "$dir/err"; exit 1; }
grep -q 'damaged inside' "$dir/err"
[ ! -e "$dir/inside.repaired.bdf" ] || { echo "--repair left a copy EDFlib refuses"; exit 1; }

# Only cut off: repaired, and the copy replays.
head -c $((size - 700)) "$dir/good.bdf" > "$dir/cut.bdf"
"$LSRMON" --repair "$dir/cut.bdf" 2> "$dir/err"
"$LSRMON" --headless --replay "$dir/cut.repaired.bdf" | tail -1 | grep -q '"type":"end"'
