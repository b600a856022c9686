#!/usr/bin/env bash
# tests/e2e/simtruth.sh — the simulator's ground-truth tool, which other
# end-to-end scripts rely on: valid JSON for every scenario, consistent with
# the options it was given, and exit status 2 with a message on bad input.
set -eu
T="$LSR_BUILD/tools/simtruth"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
[ -x "$T" ] || { echo "missing $T"; exit 1; }

for s in classic premature persistent partial stim-failure noisy no-sync; do
	"$T" --scenario "$s" --seed 3 --duration 90 | python3 -c '
import json, sys
scn = sys.argv[1]
d = json.load(sys.stdin)
assert d["rate"] == 10000 and d["end_index"] == 900000, d["rate"]
assert d["sync"] == (scn != "no-sync")
st = d["stims"]
assert len(st) >= 75, len(st)
for a, b in zip(st, st[1:]):
    assert b["n"] == a["n"] + 1 and 0.9 <= b["t"] - a["t"] <= 1.1
    assert b["index"] == round(b["t"] * 10000)
assert st[-1]["t"] <= 89.8
states = d["expected_states"].split(",")
assert states[:2] == ["acquiring", "present"], states
final, phase = d["expected_final"], d["expected_phase"]
assert final in ("disappeared", "partial", "persistent")
assert (phase == "after_decompression") == (final == "disappeared")
assert any(m["label"] == "Decompression" for m in d["marks"])
assert len(d["loss_t"]) == {"classic": 1, "no-sync": 1, "premature": 2}.get(scn, 0)
assert all(s["lsr_uv"][0] == 0 for s in st if d["loss_t"] and s["t"] >= d["loss_t"][-1])
' "$s"
done

# The population: every course for a drawn patient, the truth consistent
# with what lsrmon reads from the generator (rate, stimuli, sim_patient).
for s in classic premature persistent partial stim-failure noisy no-sync intensity blockade noise-rise no-lsr; do
	"$T" --scenario "$s" --seed 11 --duration 120 --sim-patient 11 >"$dir/truth.json"
	"$LSRMON" --headless --speed max --scenario "$s" --seed 11 --duration 120 \
		--sim-patient 11 >"$dir/ev.jsonl"
	python3 - "$s" "$dir/truth.json" "$dir/ev.jsonl" <<'PY'
import json, sys
scn, truth, ev = sys.argv[1], json.load(open(sys.argv[2])), [json.loads(l) for l in open(sys.argv[3])]
p = truth['patient']
assert p['id'] == 11 and truth['scenario'] == scn
assert truth['rate'] == p['rate'] and truth['end_index'] == 120 * p['rate']
start = ev[0]
assert start['type'] == 'start' and start['sim_patient'] == 11 and start['rate'] == p['rate'], start
stims = truth['stims']
for a, b in zip(stims, stims[1:]):
    gap = b['t'] - a['t']
    assert 0.94 / p['stim_hz'] <= gap <= 1.06 / p['stim_hz'], gap
for s in stims:
    assert 0 <= s['factor'] <= 1 and 0 < s['direct_factor'] <= 1
    assert s['usable'] == (s['why'] is None)
    assert s['why'] in (None, 'no_nerve', 'no_direct', 'spasm', 'cautery', 'cautery_offset')
    if not s['reaches_nerve']:
        assert s['direct_uv'] == 0 and s['lsr_uv'][0] == 0
if scn == 'no-lsr':
    assert all(s['factor'] == 0 and s['lsr_uv'][:2] == [0, 0] for s in stims)
if scn == 'noise-rise':
    assert stims[-1]['noise_uv'][0] >= 2 * stims[0]['noise_uv'][0] - 1e-3
if scn == 'intensity':
    assert min(s['direct_factor'] for s in stims) <= 0.7
if scn == 'blockade':
    assert min(s['direct_factor'] for s in stims) < 1
if truth['sync']:
    got = [e['t'] for e in ev if e['type'] == 'stim']
    want = [s['t'] for s in stims]
    assert len(got) == len(want), (len(got), len(want))
PY
done
"$T" --population 20 | python3 -c '
import json, sys
ps = [json.loads(l) for l in sys.stdin]
assert [p["id"] for p in ps] == list(range(1, 21))
assert len({p["rate"] for p in ps}) > 3
'

expect_2() {
	local want=$1; shift
	set +e
	msg=$("$T" "$@" 2>&1 >/dev/null)
	rc=$?
	set -e
	[ "$rc" = 2 ] || { echo "simtruth $*: exit $rc, want 2"; exit 1; }
	case "$msg" in *"$want"*) ;; *) echo "simtruth $*: message '$msg' lacks '$want'"; exit 1 ;; esac
}
expect_2 nope --scenario nope
expect_2 duration --duration 10
expect_2 seed --seed -1
expect_2 sim-patient --sim-patient x
expect_2 usage --bogus
echo ok
