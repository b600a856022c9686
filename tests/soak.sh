#!/usr/bin/env bash
# tests/soak.sh SECONDS — a simulated case of SECONDS (make soak: 8 hours;
# CI: 30 minutes through tests/e2e/soak_short.sh) at --speed max, headless,
# with a BDF+ recording, OSC to a local UDP port and the detector.  Checks,
# sampled from /proc while it runs: resident memory within 64 MB (only
# without sanitizers) and no file descriptor opened after the start that
# is not closed again; at the end: exit 0, the stimulus count equal to the
# simulator's truth (in the events, in `end` and at the OSC receiver), the
# expected final state, and a recording whose header and size agree with
# SECONDS of data.  Environment: LSRMON, LSR_BUILD, SANITIZE.
set -eu
secs=${1:?usage: soak.sh SECONDS}
: "${LSRMON:?}" "${LSR_BUILD:?}"
seed=11
dir=$(mktemp -d)
pid= rx=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$rx" ] && kill "$rx" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# The OSC receiver: counts /lsrmon/stim messages inside the datagrams.
python3 -u - "$dir/rx" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".port", "w").write(str(s.getsockname()[1]))
n = 0
while True:
    d = s.recv(65536)
    if d == b"quit":
        break
    n += d.count(b"/lsrmon/stim\0")
open(sys.argv[1], "w").write(str(n))
PY
rx=$!
for _ in $(seq 100); do [ -s "$dir/rx.port" ] && break; sleep 0.05; done
port=$(cat "$dir/rx.port")

"$LSR_BUILD/tools/simtruth" --seed $seed --duration "$secs" > "$dir/truth.json"
"$LSRMON" --headless --speed max --seed $seed --duration "$secs" \
	--record "$dir/soak.bdf" --osc "osc.udp://127.0.0.1:$port/" > "$dir/events" 2> "$dir/err" &
pid=$!

# Sample memory and descriptors until it exits.  Descriptors are counted
# by what they point at, leaving out /etc/localtime (a thread's first
# localtime_r opens and closes it).  The baseline is taken once the
# recording and the OSC socket (opened when the sender first sends) are
# both open and 20 stimuli are out.  A leak stays: a descriptor counts as
# grown when two samples in a row are above the baseline.
count_fds() {
	local n=0 l
	for l in /proc/"$1"/fd/*; do
		l=$(readlink "$l" 2>/dev/null) || continue
		[ "$l" = /etc/localtime ] || n=$((n + 1))
	done
	echo "$n"
}
settled() {
	local links
	links=$(for l in /proc/"$1"/fd/*; do readlink "$l" 2>/dev/null; done)
	grep -q 'soak\.bdf' <<<"$links" && grep -q '^socket:' <<<"$links"
}
rss_max=0 fd_base= fd_max=0 samples=0 fd_prev=0
while kill -0 "$pid" 2>/dev/null; do
	st=$(cat "/proc/$pid/status" 2>/dev/null) || break
	rss=$(awk '/^VmRSS:/ {print $2}' <<<"$st")
	if [ -n "$rss" ] &&
		[ "$(grep -c '"type":"stim"' "$dir/events" 2>/dev/null)" -ge 20 ] &&
		{ [ -n "$fd_base" ] || settled "$pid"; } &&
		fds=$(count_fds "$pid") && [ "$fds" -gt 0 ]; then
		[ -z "$fd_base" ] && fd_base=$fds fd_prev=$fds
		[ "$rss" -gt "$rss_max" ] && rss_max=$rss
		held=$((fds < fd_prev ? fds : fd_prev))
		[ "$held" -gt "$fd_max" ] && fd_max=$held
		fd_prev=$fds
		samples=$((samples + 1))
	fi
	sleep 0.2
done
rc=0; wait "$pid" || rc=$?; pid=
[ "$rc" = 0 ] || { echo "lsrmon exited $rc"; cat "$dir/err"; exit 1; }
printf quit > "/dev/udp/127.0.0.1/$port"
wait "$rx" || true; rx=

echo "soak: $secs s simulated; $samples samples; max RSS ${rss_max} kB; fds $fd_base..$fd_max"
[ "$samples" -gt 0 ] || { echo "the run ended before it could be sampled"; exit 1; }
[ "$fd_max" -le "$fd_base" ] || { echo "descriptors grew from $fd_base to $fd_max"; exit 1; }
if [ "${SANITIZE:-0}" != 1 ] && [ "$rss_max" -gt $((64 * 1024)) ]; then
	echo "resident memory $rss_max kB exceeds 64 MB"; exit 1
fi

python3 - "$dir" "$secs" <<'PY'
import json, os, sys
d, secs = sys.argv[1], float(sys.argv[2])
truth = json.load(open(d + "/truth.json"))
ev = [json.loads(l) for l in open(d + "/events")]
want = len(truth["stims"])
stims = [e for e in ev if e["type"] == "stim"]
assert len(stims) == want, ("stim events", len(stims), want)
assert [e["n"] for e in stims] == list(range(1, want + 1))
end = ev[-1]
assert end["type"] == "end", end
assert end["stims"] == want, (end["stims"], want)
assert end["final"] == truth["expected_final"], (end["final"], truth["expected_final"])
assert end["stats"]["osc_dropped"] == 0 and end["stats"]["output_dropped"] == 0, end["stats"]
got = int(open(d + "/rx").read())
assert got == want, ("OSC /lsrmon/stim received", got, want)
# The recording: header fields against the file size and SECONDS.
f = d + "/soak.bdf"
h = open(f, "rb").read(256)
hdr, nrec, dur, ns = int(h[184:192]), int(h[236:244]), float(h[244:252]), int(h[252:256])
sig = open(f, "rb").read(hdr)[256:]
spr = [int(sig[ns * 216 + 8 * i: ns * 216 + 8 * i + 8]) for i in range(ns)]
assert os.path.getsize(f) == hdr + nrec * sum(spr) * 3, "size disagrees with the header"
assert abs(nrec * dur - secs) <= dur + 1e-6, ("recorded seconds", nrec * dur, secs)
assert (os.stat(f).st_mode & 0o777) == 0o600
print("soak: %d stimuli, final %s, %d records of %g s" % (want, end["final"], nrec, dur))
PY
