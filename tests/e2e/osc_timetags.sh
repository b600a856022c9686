#!/usr/bin/env bash
# OSC bundles: one per stimulus group (stim, responses, baseline and state
# events it causes) and one per other event.  Time tags: "immediately" when
# the simulation runs as fast as possible; at real time (--speed 1) the
# wall-clock time of the group's latest sample, which can precede neither
# the run's start + that sample's stream time (a stimulus's group ends
# 100 ms after it) nor an earlier tag, and cannot follow the run's end.
set -u
dir=$(mktemp -d)
rpid=
cleanup() { [ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

run() { # name, lsrmon options...
	local name=$1; shift
	oscrecv 20 >"$dir/$name.rx" 2>"$dir/$name.err" &
	rpid=$!
	for _ in $(seq 100); do [ -s "$dir/$name.rx" ] && break; sleep 0.05; done
	local port; port=$(head -1 "$dir/$name.rx")
	[ -n "$port" ] || { echo "oscrecv gave no port"; return 1; }
	date +%s.%N >"$dir/$name.before"
	"$LSRMON" --headless --duration 60 --seed 5 --osc "osc.tcp://127.0.0.1:$port/" "$@" \
		>"$dir/$name.jsonl" || { echo "$name: lsrmon exit $?"; return 1; }
	date +%s.%N >"$dir/$name.after"
	wait "$rpid" || { echo "$name: oscrecv did not see the end"; cat "$dir/$name.err"; return 1; }
	rpid=
}

run max || exit 1
run realtime --speed 1 --pause-at 3 || exit 1
/usr/bin/python3 - "$dir" <<'PY' || exit 1
import json, sys
d = sys.argv[1]
NTP = 2208988800
def bundles(name):
    """[(timetag seconds, [message paths])] in arrival order"""
    out = []
    for line in open(f"{d}/{name}.rx").read().splitlines()[1:]:
        kind, *rest = line.split()
        if kind == 'B':
            sec, frac = rest[0].split('.')
            out.append((int(sec, 16) + int(frac, 16) / 2**32, []))
        else:
            out[-1][1].append(rest[0])
    return out

def groups_of(name):
    """a stimulus and the events it causes (they carry its t), or any single
    other event, in the order of the JSON Lines"""
    groups = []
    for l in open(f"{d}/{name}.jsonl"):
        e = json.loads(l)
        if groups and groups[-1][0]['type'] == 'stim' and e['t'] == groups[-1][0]['t'] and \
                e['type'] in ('response', 'baseline', 'channel_state', 'state'):
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups

def check_grouping(name):
    b, g = bundles(name), groups_of(name)
    assert len(b) == len(g), (name, len(b), len(g))
    for (_, paths), grp in zip(b, g):
        assert paths == ['/lsrmon/' + e['type'] for e in grp], (paths, [e['type'] for e in grp])
    return b, g

fast, _ = check_grouping('max')
assert len(fast) > 10 and all(tt == 1 / 2**32 for tt, _ in fast), "not all immediate"

slow, groups = check_grouping('realtime')
before = float(open(f"{d}/realtime.before").read()) + NTP
after = float(open(f"{d}/realtime.after").read()) + NTP
last = 0
for (tt, paths), g in zip(slow, groups):
    latest = max(e['t'] for e in g) + (0.1 if g[0]['type'] == 'stim' else 0)
    assert tt >= before + latest - 0.005, f"{paths[0]} t={latest}: tag {tt - before:.3f} s after start"
    assert tt <= after, f"{paths[0]}: tag after the run ended"
    assert tt >= last, "time tags go back"
    last = tt
print(f"{len(fast)} immediate bundles; {len(slow)} real-time bundles within bounds")
PY
