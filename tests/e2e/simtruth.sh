#!/usr/bin/env bash
# tests/e2e/simtruth.sh — the simulator's ground-truth tool, which other
# end-to-end scripts rely on: valid JSON for every scenario, consistent with
# the options it was given, and exit status 2 with a message on bad input.
set -eu
T="$LSR_BUILD/tools/simtruth"
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
expect_2 usage --bogus
echo ok
