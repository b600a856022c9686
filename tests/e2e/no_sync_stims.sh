#!/usr/bin/env bash
# Without a sync line (stim_source=auto), stimuli are found from their
# artifact: the same stimuli as the synced run of the same case, within
# ±0.5 ms, each with origin "artifact".
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
for seed in 4 5; do
	"$LSRMON" --headless --speed max --scenario classic --seed $seed --duration 120 >"$dir/sync.jsonl" || exit 1
	"$LSRMON" --headless --speed max --scenario no-sync --seed $seed --duration 120 >"$dir/art.jsonl" || exit 1
	/usr/bin/python3 - "$dir/sync.jsonl" "$dir/art.jsonl" $seed <<'PY' || fail=1
import json, sys
stims = lambda f: [e for e in map(json.loads, open(f)) if e['type'] == 'stim']
sync, art = stims(sys.argv[1]), stims(sys.argv[2])
assert len(sync) > 100, len(sync)
assert all(e['origin'] == 'sync' for e in sync)
assert all(e['origin'] == 'artifact' for e in art), "no-sync stimuli not from the artifact"
assert len(art) == len(sync), f"{len(art)} artifact stims, {len(sync)} synced"
worst = max(abs(a['t'] - s['t']) for a, s in zip(art, sync))
assert worst <= 0.0005, f"artifact stimuli up to {worst * 1000:.2f} ms off"
assert [e['n'] for e in art] == list(range(1, len(art) + 1))
print(f"seed {sys.argv[3]}: {len(art)} stims, worst offset {worst * 1000:.3f} ms")
PY
done
exit $fail
