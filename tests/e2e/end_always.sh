#!/usr/bin/env bash
# end is the last event of every run, even when the source never delivered a
# valid configuration: a live port that sends only garbage raises
# no_valid_frames and, stopped, ends indeterminate with 0 stimuli and its
# bytes counted.  (A file with no valid frame is refused at the start
# instead: tests/e2e/refused_inputs.sh.)
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --link "$WORK/amp" --garbage --seconds 30 >/dev/null 2>&1 &
PIDS+=("$!")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" >"$WORK/ev.jsonl" 2>"$WORK/err" &
LSR=$!; PIDS+=("$LSR")
wait_for $((10 * TF)) grep -q '"what":"no_valid_frames"' "$WORK/ev.jsonl" ||
	fail "no no_valid_frames alarm: $(cat "$WORK/err")"
kill -TERM "$LSR"
wait "$LSR" || fail "lsrmon exited $?: $(cat "$WORK/err")"
/usr/bin/python3 - "$WORK/ev.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev and ev[-1]['type'] == 'end', ev
assert sum(e['type'] == 'end' for e in ev) == 1
assert not any(e['type'] == 'start' for e in ev), "a start without a configuration"
end = ev[-1]
assert end['final'] == 'indeterminate' and end['final_phase'] is None and end['stims'] == 0, end
assert end['stats']['bytes'] > 0 and end['stats']['frames'] == 0, end['stats']
print("end:", end['stats'])
PY
