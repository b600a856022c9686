#!/usr/bin/env bash
# Every simulator scenario, headless over several seeds and durations, gives
# the scripted overall state sequence, final status and phase (from the
# simulator's ground truth via simtruth, never from lsrmon's output); every
# disappearance comes no earlier than the true loss and within 12 valid
# trials of it, and its premature/after_decompression flags follow the
# Decompression mark.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
run() { # scenario seed duration
	"$LSRMON" --headless --speed max --scenario "$1" --seed "$2" --duration "$3" \
		>"$dir/ev.jsonl" || { echo "$1/$2/$3: lsrmon exit $?"; return 1; }
	simtruth --scenario "$1" --seed "$2" --duration "$3" >"$dir/truth.json" ||
		{ echo "$1/$2/$3: simtruth failed"; return 1; }
	/usr/bin/python3 - "$dir/ev.jsonl" "$dir/truth.json" "$1/$2/$3" <<'PY'
import json, re, sys
events = [json.loads(l) for l in open(sys.argv[1])]
truth = json.load(open(sys.argv[2]))
name = sys.argv[3]
states = [e for e in events if e['type'] == 'state']
seq = ','.join(['acquiring'] + [s['state'] for s in states])
# "reduced?" in the script: allowed, not required
pat = ''.join(('(,%s)?' % n[:-1]) if n.endswith('?') else (',' + n if i else n)
              for i, n in enumerate(truth['expected_states'].split(',')))
assert re.fullmatch(pat, seq), f"{name}: states {seq}, script {truth['expected_states']}"
for a, b in zip(states, states[1:]):
    assert b['prev'] == a['state'], f"{name}: prev chain broken at t={b['t']}"
end = events[-1]
assert end['type'] == 'end'
assert end['final'] == truth['expected_final'], f"{name}: final {end['final']}"
assert end['final_phase'] == truth['expected_phase'], f"{name}: phase {end['final_phase']}"
dec = [m['t'] for m in truth['marks'] if m['label'].lower() == 'decompression']
valid = [s['index'] / truth['rate'] for s in truth['stims']
         if s['reaches_nerve'] and not s['contaminated']]
gone = [s for s in states if s['state'] == 'disappeared']
assert len(gone) == len(truth['loss_t']), f"{name}: {len(gone)} disappearances, {truth['loss_t']} losses"
for s, loss in zip(gone, truth['loss_t']):
    n = sum(1 for t in valid if loss - 1e-6 <= t <= s['t'] + 1e-6)
    assert s['t'] >= loss - 1e-6, f"{name}: disappeared at {s['t']} before the loss at {loss}"
    assert n <= 12, f"{name}: disappeared {n} valid trials after the loss at {loss}"
    after = bool(dec) and dec[0] <= s['since']
    assert s['after_decompression'] == after and s['premature'] == (not after), \
        f"{name}: flags {s['premature']}/{s['after_decompression']} since {s['since']}, decompression {dec}"
    assert s['verified'] is True
print(f"{name}: {seq} -> {end['final']} {end['final_phase']}")
PY
}
for scenario in classic premature persistent partial stim-failure noisy no-sync; do
	for seed in 1 2 3 11; do
		run "$scenario" "$seed" 300 || fail=1
	done
	run "$scenario" 7 120 || fail=1
done
exit $fail
