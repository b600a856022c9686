#!/usr/bin/env bash
# end is the last event of every run, even when the source never delivered a
# valid configuration (a garbage-only capture): indeterminate, 0 stimuli,
# every byte counted.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
head -c 65536 /dev/urandom | tr -d '\245' >"$dir/garbage.lsrb"   # no sync byte 0xA5 at all
size=$(stat -c %s "$dir/garbage.lsrb")
"$LSRMON" --headless --replay "$dir/garbage.lsrb" >"$dir/ev.jsonl" || { echo "exit $?"; exit 1; }
/usr/bin/python3 - "$dir/ev.jsonl" "$size" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert ev and ev[-1]['type'] == 'end', ev
assert sum(e['type'] == 'end' for e in ev) == 1
end = ev[-1]
assert end['final'] == 'indeterminate' and end['final_phase'] is None and end['stims'] == 0, end
assert end['stats']['bytes'] == int(sys.argv[2]), end['stats']
assert end['stats']['frames'] == 0
print("end:", end['stats'])
PY
