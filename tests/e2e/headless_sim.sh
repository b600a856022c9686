#!/usr/bin/env bash
# A headless simulated case ends by itself with valid JSON Lines whose stim
# events are exactly the simulator's true stimuli (from its ground truth,
# computed by simtruth, never from lsrmon's output).
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for seed in 1 2; do
	"$LSRMON" --headless --speed max --scenario classic --seed $seed --duration 90 >"$dir/ev.jsonl" || { echo "lsrmon exit $?"; exit 1; }
	simtruth --scenario classic --seed $seed --duration 90 >"$dir/truth.json" || { echo "simtruth failed"; exit 1; }
	/usr/bin/python3 - "$dir/ev.jsonl" "$dir/truth.json" <<'PY' || exit 1
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]   # raises on invalid JSON
truth = json.load(open(sys.argv[2]))
assert events, "no events"
assert all('t' in e and 'type' in e for e in events), "t/type missing"
assert events[0]['type'] == 'start' and events[-1]['type'] == 'end', "start first, end last"
s = events[0]
assert s['segment'] == 1 and s['source'] == 'sim' and s['driver'] == 'sim', s
assert s['rate'] == truth['rate'], (s['rate'], truth['rate'])
assert [c['role'] for c in s['channels']] == ['lsr', 'lsr', 'control'], s['channels']
stims = [e for e in events if e['type'] == 'stim']
want = [st['index'] / truth['rate'] for st in truth['stims']]
got = [e['t'] for e in stims]
# the last stimulus may be too close to the end for its sweep (+100 ms)
if len(got) == len(want) - 1 and want[-1] > events[-1]['t'] - 0.1:
    want = want[:-1]
assert len(got) == len(want), f"{len(got)} stims, truth has {len(want)}"
for i, (g, w) in enumerate(zip(got, want)):
    assert abs(g - w) < 0.5 / truth['rate'], f"stim {i+1}: t={g} truth={w}"
assert [e['n'] for e in stims] == list(range(1, len(stims) + 1)), "stim numbering"
assert all(e['origin'] == 'sync' for e in stims)
marks = [e for e in events if e['type'] == 'mark']
assert [m['label'] for m in marks] == [m['label'] for m in truth['marks']], (marks, truth['marks'])
assert all(m['origin'] == 'device' for m in marks)
assert events[-1]['stims'] == len(stims)
print(f"{len(stims)} stims match the truth")
PY
done
