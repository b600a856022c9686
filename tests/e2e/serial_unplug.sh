#!/usr/bin/env bash
# tests/e2e/serial_unplug.sh — the device hangs up three times for 2 s and
# comes back on a new pty behind the same link: lsrmon reports each outage,
# reconnects promptly, keeps counting stimuli and idles while waiting.
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --link "$WORK/amp" --seconds 14 --start-delay 0.5 \
	--hangup-at 2:2 --hangup-at 6:2 --hangup-at 10:2 \
	2> >(stamp "$WORK/amp.log") >/dev/null &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" > >(stamp "$WORK/live.log") 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")

# CPU over each outage, from /proc, while the port is gone.
cpu=()
for k in 1 2 3; do
	wait_for 15 at_least $k 'hung up' "$WORK/amp.log" || fail "no hang-up $k"
	sleep 0.3
	t0=$EPOCHREALTIME; c0=$(cpu_ticks "$LIVE") || fail "lsrmon died"
	sleep 1.4
	t1=$EPOCHREALTIME; c1=$(cpu_ticks "$LIVE") || fail "lsrmon died"
	cpu+=("$(awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.4f", c / hz / (b - a) }')")
done
wait "$AMP"
sleep 0.5
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon exited $?: $(cat "$WORK/live.err")"

disc=$(count '"status":"disconnected"' "$WORK/live.log")
conn=$(count '"status":"connected"' "$WORK/live.log")
[ "$disc" -ge 3 ] && [ "$disc" -le 4 ] || fail "$disc disconnects, expected 3 outages (+ the end)"
[ "$conn" -eq 4 ] || fail "$conn connects, expected the first + 3 returns"

# Each return of the device → connected within 1.5 s (× time factor).
# Both logs are stamped by their own reader processes, so under load the
# device's "back at" line can be stamped a little after lsrmon's connect
# that it caused: 50 ms of that skew is not a reconnect before the device.
mapfile -t back < <(grep 'back at' "$WORK/amp.log" | cut -d' ' -f1)
mapfile -t rec < <(grep '"status":"connected"' "$WORK/live.log" | cut -d' ' -f1 | tail -n 3)
[ "${#back[@]}" -eq 3 ] || fail "fakeamp came back ${#back[@]} times"
for k in 0 1 2; do
	awk -v a="${back[k]}" -v b="${rec[k]}" -v tf="$TF" \
		'BEGIN { d = b - a; exit !(d >= -0.05 && d <= 1.5 * tf) }' ||
		fail "reconnect $((k + 1)): device back at ${back[k]}, connected at ${rec[k]}"
done
for c in "${cpu[@]}"; do
	awk -v c="$c" 'BEGIN { exit !(c < 0.05) }' || fail "used $c of a core while disconnected"
done

# Stimuli keep counting: some after the last return, numbered on.
last_conn=${rec[2]}
after=$(awk -v t="$last_conn" '$1 > t && /"type":"stim"/' "$WORK/live.log" | wc -l)
[ "$after" -ge 1 ] || fail "no stimulus after the last reconnect"
mapfile -t ns < <(grep '"type":"stim"' "$WORK/live.log" | sed -E 's/.*"n":([0-9]+).*/\1/')
for ((i = 1; i < ${#ns[@]}; i++)); do
	[ "${ns[i]}" -eq $((ns[i - 1] + 1)) ] || fail "stimulus numbers jump: ${ns[*]}"
done
[ "${#ns[@]}" -ge 5 ] || fail "only ${#ns[@]} stimuli"
echo "ok: 3 outages, cpu ${cpu[*]}, ${#ns[@]} stimuli"
