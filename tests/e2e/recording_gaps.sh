#!/usr/bin/env bash
# tests/e2e/recording_gaps.sh — a recording with two gaps and an odd end
# (rec_synth's gaps case, whose truth it prints), as BDF+ and EDF+: MNE,
# biosig and EDFlib find exactly the stimuli and button presses on Trigger
# (MNE's find_events too), MNE drops the epochs over the gaps as BAD, its
# annotation list starts with the marks and state changes, not the
# settings; replayed, the file gives the full channel labels, the true
# gaps and lost_samples equal to their lengths only (the end's padding is
# not lost).
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for ext in bdf edf; do
	rec_synth "$dir/case.$ext" 6 gaps > "$dir/$ext.log"
	$py readers.py "$dir/case.$ext" --gaps "$dir/$ext.log"
	$py readers.py "$dir/case.$ext" --ref-edflib
	"$LSRMON" --headless --replay "$dir/case.$ext" > "$dir/$ext.jsonl"
	$py - "$dir/$ext.log" "$dir/$ext.jsonl" <<'PY'
import json, sys
truth = [l.split() for l in open(sys.argv[1])]
gaps = [(int(g[1]), int(g[2])) for g in truth if g[0] == "G"]
events = [json.loads(l) for l in open(sys.argv[2])]
rate = events[0]["rate"]
# the full labels come back from the montage note (the header has EMG forms)
labels = [c["label"] for c in events[0]["channels"]]
assert labels == ["R Mentalis", "R Orb oris", "R Orb oculi"], labels
got = [(round(e["t"] * rate), e["samples"]) for e in events if e["type"] == "gap"]
assert got == gaps, f"replay gaps {got}, true {gaps}"
lost = events[-1]["stats"]["lost_samples"]
assert lost == sum(n for _, n in gaps), f"lost_samples {lost}, the gaps are {gaps}"
print(f"replay: gaps {got}, lost_samples {lost}")
PY
done
