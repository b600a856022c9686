#!/usr/bin/env bash
# tests/e2e/record_sim.sh — lsrmon --record of the simulated patient:
# EDFlib, MNE and biosig read the same samples and annotations (marks and
# states at their t); --replay at max speed gives the live run's stimuli and
# states (BDF+ exactly; EDF+ within one trial); a crashed file EDFlib
# refuses says to --repair, and the copy replays; recording a replay keeps
# the samples; the progress bar appears only on a terminal; the command line
# wins over stored settings; an existing file is not replaced without
# --force; a full disk (RLIMIT_FSIZE) raises the alarm, monitoring goes on
# to the end, the file stays valid and the exit status is 1.
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT

# Stimuli, marks, states and end, without what legitimately differs: the
# mark's origin (device live, recording on replay) and end.stats.
events() {
	grep -E '"type":"(stim|mark|state|end)"' "$1" |
		sed -e 's/"origin":"[a-z]*"//' -e 's/,"stats":.*//'
}

for ext in bdf edf; do
	f="$dir/case.$ext"
	"$LSRMON" --headless --duration 60 --seed 7 --record "$f" > "$dir/live.$ext.jsonl"
	[ "$(stat -c %a "$f")" = 600 ] || { echo "$f: mode is not 0600"; exit 1; }
	grep -q '"type":"state"' "$dir/live.$ext.jsonl"
	$py readers.py "$f" --ref-edflib --events "$dir/live.$ext.jsonl"
	"$LSRMON" --headless --replay "$f" > "$dir/replay.$ext.jsonl"
	grep -q '"source":"replay"' "$dir/replay.$ext.jsonl"
	grep -q '"type":"mark".*"origin":"recording"' "$dir/replay.$ext.jsonl"
	if [ "$ext" = bdf ]; then
		diff <(events "$dir/live.$ext.jsonl") <(events "$dir/replay.$ext.jsonl")
	else
		# 16-bit: the same state sequence, each within one stimulus.
		$py - "$dir/live.$ext.jsonl" "$dir/replay.$ext.jsonl" <<-'EOF'
		import bisect, json, sys
		def load(p):
		    evs = [json.loads(l) for l in open(p)]
		    stims = [e["t"] for e in evs if e["type"] == "stim"]
		    return stims, [(e["state"], e["prev"], e["t"]) for e in evs if e["type"] == "state"]
		(s1, a), (s2, b) = load(sys.argv[1]), load(sys.argv[2])
		assert [x[:2] for x in a] == [x[:2] for x in b], (a, b)
		for (_, _, t1), (_, _, t2) in zip(a, b):
		    assert abs(bisect.bisect(s1, t1) - bisect.bisect(s2, t2)) <= 1, (t1, t2)
		print(f"edf: {len(a)} states agree within one trial")
		EOF
	fi
done

# Recording a replay keeps every sample exactly.
"$LSRMON" --headless --replay "$dir/case.bdf" --record "$dir/again.bdf" > /dev/null
$py readers.py "$dir/again.bdf" --ref-file "$dir/case.bdf" --min-samples 600000

# Headless at max speed: a progress bar on stderr only when it is a terminal.
"$LSRMON" --headless --replay "$dir/case.bdf" > /dev/null 2> "$dir/err"
[ ! -s "$dir/err" ] || { echo "progress written to a non-terminal"; cat "$dir/err"; exit 1; }
script -qfec "$LSRMON --headless --replay $dir/case.bdf > /dev/null" "$dir/tty" > /dev/null
grep -q '100%  60' "$dir/tty"

# The command line wins over the recording's stored settings.
"$LSRMON" --headless --replay "$dir/case.bdf" --set disappear_trials=12 > "$dir/set.jsonl"
grep -q '"disappear_trials":12' "$dir/set.jsonl"
"$LSRMON" --headless --duration 60 --set max_trials=7 --record "$dir/stored.bdf" > /dev/null
"$LSRMON" --headless --replay "$dir/stored.bdf" | grep -q '"max_trials":7'

# A crashed file EDFlib refuses (count -1, a partial record): exit 2 and
# the way out; the repaired copy replays.
cp "$dir/case.bdf" "$dir/crash.bdf"
truncate -s 500000 "$dir/crash.bdf"
printf -- '-1      ' | dd of="$dir/crash.bdf" bs=1 seek=236 conv=notrunc 2> /dev/null
set +e
"$LSRMON" --headless --replay "$dir/crash.bdf" > /dev/null 2> "$dir/err"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "crashed replay: exit $rc, expected 2"; exit 1; }
grep -q -- "--repair" "$dir/err"
"$LSRMON" --repair "$dir/crash.bdf"
"$LSRMON" --headless --replay "$dir/crash.repaired.bdf" | tail -1 | grep -q '"type":"end"'

# Never replaced without --force: exit 2, the file untouched.
echo precious > "$dir/old.bdf"
set +e
"$LSRMON" --headless --duration 60 --record "$dir/old.bdf" > /dev/null 2> "$dir/err"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "existing file: exit $rc, expected 2"; exit 1; }
grep -q -- "--force" "$dir/err"
[ "$(cat "$dir/old.bdf")" = precious ]
"$LSRMON" --headless --duration 60 --force --record "$dir/old.bdf" > /dev/null
edfdump "$dir/old.bdf" > /dev/null

# A full disk: 400 kB allowed.
set +e
prlimit --fsize=400000 "$LSRMON" --headless --duration 60 --record "$dir/full.bdf" > "$dir/full.jsonl"
rc=$?
set -e
[ "$rc" = 1 ] || { echo "full disk: exit $rc, expected 1"; exit 1; }
grep -q '"type":"alarm","what":"disk"' "$dir/full.jsonl"
tail -1 "$dir/full.jsonl" | grep -q '"type":"end"'
[ "$(grep -c '"type":"stim"' "$dir/full.jsonl")" -gt 50 ]   # monitoring went on
[ "$(stat -c %s "$dir/full.bdf")" -le 400000 ]
edfdump "$dir/full.bdf" | head -1 | grep -q '^H 4 [1-9]'
echo "full disk: alarm raised, $(edfdump "$dir/full.bdf" | head -1 | cut -d' ' -f3) records valid"
