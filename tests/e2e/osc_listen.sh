#!/usr/bin/env bash
# --osc-listen: a mark sent with oscsend (liblo-tools) during a headless
# simulated case at real time becomes a mark event with origin osc; a
# malformed one (wrong type tag, unknown address) changes nothing.  Bad
# --osc / --osc-listen values are usage errors naming the option.
set -u
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

port=$(freeport udp) || exit 1
"$LSRMON" --headless --speed 1 --pause-at 3 --duration 60 --seed 2 \
	--osc-listen "127.0.0.1:$port" >"$dir/ev.jsonl" 2>"$dir/err.txt" &
pid=$!
for _ in $(seq 200); do
	grep -q '"type":"start"' "$dir/ev.jsonl" 2>/dev/null && break
	sleep 0.02
done
grep -q '"type":"start"' "$dir/ev.jsonl" || { echo "no start event"; cat "$dir/err.txt"; exit 1; }
oscsend 127.0.0.1 "$port" /lsrmon/mark i 7 || exit 1
oscsend 127.0.0.1 "$port" /lsrmon/marks s "Wrong address" || exit 1
oscsend 127.0.0.1 "$port" /lsrmon/mark s "Dura open" || exit 1
wait "$pid"; rc=$?; pid=
[ $rc -eq 0 ] || { echo "lsrmon exit $rc"; cat "$dir/err.txt"; exit 1; }
/usr/bin/python3 - "$dir/ev.jsonl" <<'PY' || exit 1
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev[-1]['type'] == 'end', ev[-1]
marks = [e for e in ev if e['type'] == 'mark' and e['origin'] == 'osc']
assert [m['label'] for m in marks] == ['Dura open'], marks
assert 0 < marks[0]['t'] <= 3.0, marks[0]
print("osc mark at t=%.3f" % marks[0]['t'])
PY

# Usage errors: exit 2 and a message naming the option and the value.
for bad in "--osc http://127.0.0.1:9000/" "--osc osc.udp://127.0.0.1/" \
	"--osc-listen nowhere:9000" "--osc-listen 70000"; do
	# shellcheck disable=SC2086
	"$LSRMON" --headless --duration 60 $bad >/dev/null 2>"$dir/err.txt"; rc=$?
	[ $rc -eq 2 ] || { echo "$bad: exit $rc, want 2"; exit 1; }
	opt=${bad%% *}
	grep -q -- "$opt" "$dir/err.txt" || { echo "$bad: message does not name $opt:"; cat "$dir/err.txt"; exit 1; }
done
echo "usage errors ok"
