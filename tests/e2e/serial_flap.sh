#!/usr/bin/env bash
# tests/e2e/serial_flap.sh — a port that opens and ends at once backs off
# like any disconnect (man/lsrmon.1, --port): fakeamp hangs up the pty at
# each of the first 10 opens and puts a fresh one behind the link, so every
# open lsrmon tries succeeds and is counted there.  Counted, not timed: at
# most 2 link events per second of fakeamp's own clock over the flaps, at
# most 20 opens in any 10 s, and the stream is read once the port holds.
. "$(dirname "$0")/lib/serial.bash"

"$FAKEAMP" --link "$WORK/amp" --flap 10 --seconds 60 >"$WORK/amp.out" 2>"$WORK/amp.err" &
PIDS+=("$!")
wait_for 5 test -e "$WORK/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$WORK/amp" >"$WORK/ev.jsonl" 2>"$WORK/err" &
LSR=$!; PIDS+=("$LSR")
wait_for $((60 * TF)) grep -q '"type":"stim"' "$WORK/ev.jsonl" ||
	fail "no stimulus after the flaps: $(cat "$WORK/err") / $(grep -c '^open' "$WORK/amp.out") opens"
kill -TERM "$LSR"
wait "$LSR" || fail "lsrmon exited $?: $(cat "$WORK/err")"
/usr/bin/python3 - "$WORK/amp.out" "$WORK/ev.jsonl" <<'PY'
import json, sys
opens = [float(l.split()[2]) for l in open(sys.argv[1]) if l.startswith('open ')]
ev = [json.loads(l) for l in open(sys.argv[2])]
assert len(opens) == 11, opens  # 10 hung up at once, the 11th holds
# link events while the port flapped: up to the first start (the stream)
first = next(i for i, e in enumerate(ev) if e['type'] == 'start')
links = [e['status'] for e in ev[:first] if e['type'] == 'link']
assert links.count('disconnected') == 10 and links.count('connected') == 11, links
span = opens[-1] - opens[0]
assert len(links) <= 2 * span + 2, f"{len(links)} link events in {span:.2f} s of flapping"
most = max(sum(1 for u in opens if t <= u < t + 10) for t in opens)
assert most <= 20, f"{most} opens in 10 s"
print(f"ok: 10 flaps, {len(opens)} opens, {len(links)} link events over {span:.2f} s, at most {most} opens in 10 s")
PY
