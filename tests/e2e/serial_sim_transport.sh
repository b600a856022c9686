#!/usr/bin/env bash
# tests/e2e/serial_sim_transport.sh — the simulated patient carried over the
# wire formats (fakeamp --sim) arrives sample-exact: replaying its LSRB and
# ASCII captures measures every response exactly as the built-in simulator
# does (the scripted marks do not travel in these formats, so states may
# differ; stimuli and signal measures may not).
. "$(dirname "$0")/lib/serial.bash"

"$LSRMON" --headless --duration 60 >"$WORK/direct.jsonl" 2>"$WORK/direct.err" ||
	fail "lsrmon (sim) exited $?: $(cat "$WORK/direct.err")"
measures() {
	grep '"type":"stim"\|"type":"response"' "$1" |
		sed -E 's/"valid".*"p2p_uv":([^,]*),.*"area_uv_ms":([^,]*),"late_p2p_uv":([^,]*),.*/\1 \2 \3/'
}
measures "$WORK/direct.jsonl" >"$WORK/direct.m"
n=$(grep -c '"type":"stim"' "$WORK/direct.m")
[ "$n" -ge 50 ] || fail "the simulator gave only $n stimuli in 60 s"
for ext in lsrb txt; do
	fmt=lsrb; [ "$ext" = txt ] && fmt=ascii
	"$FAKEAMP" --write "$WORK/sim.$ext" --format "$fmt" --sim classic --duration 60 ||
		fail "fakeamp --write --sim ($fmt)"
	"$LSRMON" --headless --replay "$WORK/sim.$ext" >"$WORK/$ext.jsonl" 2>"$WORK/$ext.err" ||
		fail "lsrmon --replay sim.$ext exited $?: $(cat "$WORK/$ext.err")"
	measures "$WORK/$ext.jsonl" >"$WORK/$ext.m"
	diff "$WORK/direct.m" "$WORK/$ext.m" >"$WORK/$ext.diff" ||
		fail "$fmt transport changed the measures: $(head -n 4 "$WORK/$ext.diff")"
	grep -q '"stats":{"bytes":[1-9][0-9]*,"frames":[1-9]' "$WORK/$ext.jsonl" || fail "$fmt: no stats"
	echo "ok: $fmt, $n stimuli measured identically"
done
