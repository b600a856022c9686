#!/usr/bin/env bash
# tests/e2e/edflib_written.sh — the same session recorded by lsrmon (BDF+,
# 0.1 s records, its annotations) and rewritten by EDFlib's own writer
# (tests/tools/edflib_copy: 1 s records, one annotation signal, texts cut to
# 40 bytes, whole records only; docs/api-notes.md B3) gives the same
# detector events on replay: every stim, state, channel_state, baseline and
# mark, responses to 1e-4 relative.  The montage and a parameter are on the
# command line, so the settings annotations EDFlib cuts decide nothing.
# Whole seconds (240 s), and two marks in one second, one over 40 bytes.
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
long='A label much longer than forty bytes for EDFlib to cut'
opts=(--headless --montage 0:lsr,1:lsr,2:control --set reduced_pct=50)
for sc in classic premature noisy; do
	"$LSRMON" --scenario "$sc" --seed 7 --duration 240 --headless --record "$dir/$sc.bdf" \
		--mark '100.2:Dura open' --mark "100.7:$long" > /dev/null
	edflib_copy "$dir/$sc.bdf" "$dir/$sc-edflib.bdf" > "$dir/copy.out"
	grep -q '^records 240 ' "$dir/copy.out"
	# The copy is EDFlib's: 1 s data records, where lsrmon writes 0.1 s.
	$py - "$dir/$sc.bdf" "$dir/$sc-edflib.bdf" <<-'EOF'
		import sys
		dur = [open(p, 'rb').read(256)[244:252].strip() for p in sys.argv[1:]]
		assert dur == [b'0.1', b'1'], dur
	EOF
	"$LSRMON" --replay "$dir/$sc.bdf" "${opts[@]}" > "$dir/$sc.lsrmon.jsonl"
	"$LSRMON" --replay "$dir/$sc-edflib.bdf" "${opts[@]}" > "$dir/$sc.edflib.jsonl"
	$py events_same.py "$dir/$sc.lsrmon.jsonl" "$dir/$sc.edflib.jsonl" --label-bytes 40
	# Both marks of second 100 came through, the long one cut to 40 bytes.
	grep -q '"t":100.2,"type":"mark","id":[0-9]*,"label":"Dura open"' "$dir/$sc.edflib.jsonl"
	grep -q "\"t\":100.7,\"type\":\"mark\",\"id\":[0-9]*,\"label\":\"${long:0:40}\"" "$dir/$sc.edflib.jsonl"
	grep -q '"type":"state"' "$dir/$sc.edflib.jsonl"
done
# The comparison itself fails when a decision differs.
"$LSRMON" --replay "$dir/classic-edflib.bdf" --headless --montage 0:lsr,1:other,2:control \
	--set reduced_pct=50 > "$dir/other.jsonl"
if $py events_same.py "$dir/classic.lsrmon.jsonl" "$dir/other.jsonl" > "$dir/out"; then
	echo "events_same.py accepted another montage's events"; exit 1
fi
grep -q 'events differ' "$dir/out"
