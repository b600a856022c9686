#!/usr/bin/env bash
# tests/e2e/serial_corrupt.sh — a damaged line (flipped bytes, lost runs)
# through a pty (clean for its first 0.5 s, so that both runs start their
# clocks at the same sample): lsrmon counts the damage, reports gaps, and every stimulus
# it reports is one of the clean stream's, at the same time.
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --write "$WORK/clean.lsrb" --seconds 10 || fail "fakeamp --write"
"$FAKEAMP" --from "$WORK/clean.lsrb" --link "$WORK/amp" --start-delay 1.5 --linger 1 \
	--corrupt 0.00005 --drop-frames 0.03 --seed "${SEED:-11}" --clean-for 0.5 >/dev/null 2>"$WORK/amp.err" &
AMP=$!; PIDS+=("$AMP")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" >"$WORK/live.jsonl" 2>"$WORK/live.err" &
LIVE=$!; PIDS+=("$LIVE")
wait "$AMP" || fail "fakeamp failed: $(cat "$WORK/amp.err")"
wait_for $((5 * TF)) grep -q '"status":"disconnected"' "$WORK/live.jsonl" ||
	fail "no disconnect after the device went away"
kill -TERM "$LIVE"
wait "$LIVE" || fail "lsrmon exited $?: $(cat "$WORK/live.err")"
"$LSRMON" --headless --replay "$WORK/clean.lsrb" >"$WORK/clean.jsonl" 2>"$WORK/clean.err" ||
	fail "lsrmon --replay exited $?"

stim_t() { grep '"type":"stim"' "$1" | sed -E 's/.*"t":([-0-9.e]+).*/\1/'; }
stim_t "$WORK/clean.jsonl" >"$WORK/clean.t"
stim_t "$WORK/live.jsonl" >"$WORK/live.t"
[ -s "$WORK/live.t" ] || fail "no stimulus survived"
# Seed 11 loses the frames where two pulses begin: each then resumes with
# its sync input already high, which must not count as a stimulus.
[ "$(wc -l <"$WORK/live.t")" -lt "$(wc -l <"$WORK/clean.t")" ] ||
	fail "the damage reached no stimulus: a weaker test than intended"
awk 'NR == FNR { clean[++n] = $1; next }
	{ ok = 0; for (i = 1; i <= n; i++) if ($1 - clean[i] < 0.0005 && clean[i] - $1 < 0.0005) ok = 1
	  if (!ok) { print "stimulus at " $1 " is not in the clean stream"; bad = 1 } }
	END { exit bad }' "$WORK/clean.t" "$WORK/live.t" || fail "$(cat "$WORK/live.t" | tr '\n' ' ')"
stats=$(grep -o '"stats":{[^}]*}' "$WORK/live.jsonl")
crc=$(sed -E 's/.*"crc_errors":([0-9]+).*/\1/' <<<"$stats")
dropped=$(sed -E 's/.*"dropped":([0-9]+).*/\1/' <<<"$stats")
[ "$crc" -gt 0 ] || fail "no CRC errors counted: $stats"
[ "$dropped" -gt 0 ] || fail "no dropped frames counted: $stats"
grep -q '"type":"gap"' "$WORK/live.jsonl" || fail "no gap reported"
echo "ok: $(wc -l <"$WORK/live.t") of $(wc -l <"$WORK/clean.t") stimuli, all genuine; $stats"
