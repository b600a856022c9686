#!/usr/bin/env bash
# tests/e2e/record_kill_sim.sh — kill -9 lsrmon recording the simulated
# patient at --speed 1, at random moments: MNE and biosig read each file as
# it lies, with every sample and every start, mark and state older than 1 s;
# lsrmon --repair then gives a copy EDFlib reads, leaving the original as it
# was.  A SIGTERM instead stops cleanly: exit 0, the file complete.
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
rate=10000

# The same case, complete: the reference for the samples.
"$LSRMON" --headless --duration 60 --seed 3 --record "$dir/full.bdf" > /dev/null
for run in 1 2 3; do
	f="$dir/kill$run.bdf"
	"$LSRMON" --headless --speed 1 --duration 60 --seed 3 --record "$f" --mark "0.7:Dura open" \
		--mark 1.4:Incision --mark "2.1:Intensity 3" --mark 2.8:Confirm > "$dir/$run.jsonl" &
	pid=$!
	# The start event marks the start of the stream clock.
	for _ in $(seq 500); do [ -s "$dir/$run.jsonl" ] && break; sleep 0.01; done
	t0=$(date +%s.%N)
	sleep "$((1 + RANDOM % 3)).$((RANDOM % 1000))"
	sleep 0.5
	t=$(date +%s.%N)
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	read -r n until < <(echo "$t $t0" | awk -v r=$rate '{ d = $1 - $2; printf "%d %.4f\n", (d - 1) * r, d - 1.2 }')
	echo "run $run: killed after $(echo "$t $t0" | awk '{ printf "%.2f", $1 - $2 }') s; checking $n samples, events to t=$until"
	$py readers.py "$f" --no-edflib --ref-file "$dir/full.bdf" --min-samples "$n" \
		--events "$dir/$run.jsonl" --until "$until"
	before=$(md5sum < "$f")
	"$LSRMON" --repair "$f"
	[ "$(md5sum < "$f")" = "$before" ] || { echo "--repair modified $f"; exit 1; }
	edfdump "$dir/kill$run.repaired.bdf" > /dev/null
done

# SIGTERM instead: a clean stop, exit 0, the file complete with its end.
"$LSRMON" --headless --speed 1 --duration 60 --record "$dir/term.bdf" > "$dir/term.jsonl" &
pid=$!
for _ in $(seq 500); do grep -q '"type":"stim"' "$dir/term.jsonl" && break; sleep 0.01; done
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || { echo "SIGTERM: exit $rc, expected 0"; exit 1; }
edfdump "$dir/term.bdf" | grep -q '^A [0-9.]* lsrmon: End '
