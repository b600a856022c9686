#!/usr/bin/env bash
# tests/e2e/recording_kill.sh — kill -9 a real-time recording at random
# moments: MNE and biosig read each file as it lies, with every sample and
# annotation handed over at least 1 s before the kill.
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for run in 1 2 3; do
	f="$dir/kill$run.bdf"
	rec_synth "$f" 60 realtime > "$dir/$run.log" &
	pid=$!
	# 1.5 … 4.5 s in, at a random point inside a record.
	sleep "$((1 + RANDOM % 3)).$((RANDOM % 1000))" 
	sleep 0.5
	t=$(date +%s.%N)
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	echo "run $run: killed at $(tail -1 "$dir/$run.log" | cut -d' ' -f3) samples"
	$py readers.py "$f" --synth "$dir/$run.log" --killed-at "$t" --no-edflib
done
