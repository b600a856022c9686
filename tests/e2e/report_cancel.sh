#!/usr/bin/env bash
# A cancelled Decompression mark re-emits the earlier loss as premature; the
# case report corrects that state change in place (one entry, the new phase)
# and marks the mark cancelled.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# premature scenario: Dura open at 35 %, first loss shortly after; a CLI
# Decompression at 60 s (id 1) makes that loss "after decompression" until
# it is cancelled at 290 s.
"$LSRMON" --headless --scenario premature --seed 2 --mark 60:Decompression \
	--mark '290:Cancel 1' --report "$dir/r" >"$dir/ev.jsonl" || { echo "exit $?"; exit 1; }
/usr/bin/python3 - "$dir/ev.jsonl" "$dir/r.txt" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
gone = [e for e in ev if e['type'] == 'state' and e['state'] == 'disappeared']
first = [e for e in gone if e['since'] == gone[0]['since']]
assert len(first) == 2 and first[0]['after_decompression'] and first[1]['premature'], first
lines = [l for l in open(sys.argv[2]) if l.startswith('state: ') and 'state=disappeared' in l]
assert len(lines) == len({e['since'] for e in gone}), f"{len(lines)} report lines for {len(gone)} events"
assert 'phase=premature' in lines[0], lines[0]
assert any('id=1 ' in l and 'cancelled=yes' in l for l in open(sys.argv[2]) if l.startswith('mark: '))
print("corrected in place:", lines[0].strip())
PY
