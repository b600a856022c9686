#!/usr/bin/env bash
# OSC interop: oscdump (liblo-tools) receives a headless simulated case over
# TCP; every JSON Lines event of the same run arrives as /lsrmon/<type>, in
# order, with the documented type tags and list lengths and the same values
# (float32 precision).  The expected messages are built here from the JSON
# by docs/interface.md's table, not by lsrmon's encoder.  With --osc-sweeps, one
# /lsrmon/sweep follows each stimulus per channel.
set -u
dir=$(mktemp -d)
dump_pid=
cleanup() { [ -n "$dump_pid" ] && kill "$dump_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

wait_listening() { # port: until a TCP connect succeeds (at most 5 s)
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	echo "oscdump never listened on $1"; return 1
}

wait_lines() { # file count: until the dump holds count lines (at most 10 s)
	for _ in $(seq 200); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	echo "dump has $(wc -l <"$1") lines, want $2"; return 1
}

for sweeps in no yes; do
	port=$(freeport tcp) || exit 1
	oscdump -L "osc.tcp://:$port" >"$dir/dump.txt" 2>"$dir/dump.err" &
	dump_pid=$!
	wait_listening "$port" || exit 1
	extra=(); [ $sweeps = yes ] && extra=(--osc-sweeps)
	"$LSRMON" --headless --scenario classic --seed 4 --duration 60 \
		--osc "osc.tcp://127.0.0.1:$port/" "${extra[@]}" >"$dir/ev.jsonl" || { echo "lsrmon exit $?"; exit 1; }
	want=$(wc -l <"$dir/ev.jsonl")
	[ $sweeps = yes ] && want=$((want + $(grep -c '"type":"response"' "$dir/ev.jsonl")))
	wait_lines "$dir/dump.txt" "$want" || exit 1
	kill "$dump_pid"; wait "$dump_pid" 2>/dev/null; dump_pid=
	/usr/bin/python3 - "$dir/ev.jsonl" "$dir/dump.txt" $sweeps <<'PY' || exit 1
import json, math, shlex, sys
events = [json.loads(l) for l in open(sys.argv[1])]
lines = [l.rstrip('\n') for l in open(sys.argv[2])]
sweeps = sys.argv[3] == 'yes'

NUM, INT, BOOL, TEXT = 'num', 'int', 'bool', 'text'
FIELDS = {
    'start': None,
    'stim': [('n', INT), ('origin', TEXT)],
    'response': [('n', INT), ('ch', INT), ('role', TEXT), ('valid', BOOL),
                 ('invalid_reason', TEXT), ('present', BOOL), ('p2p_uv', NUM),
                 ('onset_ms', NUM), ('area_uv_ms', NUM), ('late_p2p_uv', NUM),
                 ('noise_uv', NUM), ('threshold_uv', NUM)],
    'baseline': [('ch', INT), ('p2p_uv', NUM), ('onset_ms', NUM), ('trials', INT),
                 ('provisional', BOOL)],
    'channel_state': [('ch', INT), ('state', TEXT), ('prev', TEXT)],
    'state': [('state', TEXT), ('prev', TEXT), ('since', NUM), ('premature', BOOL),
              ('after_decompression', BOOL), ('ratio', NUM), ('verified', BOOL),
              ('provisional', BOOL)],
    'mark': [('id', INT), ('label', TEXT), ('origin', TEXT)],
    'link': [('status', TEXT)],
    'gap': [('samples', INT)],
    'alarm': [('what', TEXT), ('text', TEXT)],
    'end': None,
}

def arg(v, kind):
    if v is None:
        return ('N', None)
    if kind == NUM:
        return ('f', float(v))
    if kind in (INT, BOOL):
        return ('i', int(v))
    return ('s', v)

def expected(e):
    out = [arg(e['t'], NUM)]
    if e['type'] == 'start':
        out += [arg(e['segment'], INT), arg(e['source'], TEXT), arg(e['driver'], TEXT),
                arg(e['rate'], NUM), arg(len(e['channels']), INT)]
        for c in e['channels']:
            out += [arg(c['index'], INT), arg(c['label'], TEXT), arg(c['role'], TEXT)]
        out.append(arg(len(e['params']), INT))
        for k, v in e['params'].items():
            out += [arg(k, TEXT), arg(v, TEXT if isinstance(v, str) else NUM)]
        out.append(arg(len(e['warnings']), INT))
        out += [arg(w, TEXT) for w in e['warnings']]
        out.append(arg(e['simulation'], BOOL))
    elif e['type'] == 'end':
        out += [arg(e['final'], TEXT), arg(e['final_phase'], TEXT), arg(e['stims'], INT),
                arg(len(e['stats']), INT)]
        for k, v in e['stats'].items():
            out += [arg(k, TEXT), arg(v, NUM)]
    else:
        out += [arg(e[k], kind) for k, kind in FIELDS[e['type']]]
    return out

def parse(line):
    parts = shlex.split(line)
    return parts[1], parts[2], parts[3:]

def same(tag, want, got):
    if tag == 'N':
        return got == 'Nil'
    if tag == 'f':
        return abs(float(got) - want) <= 1e-6 + 1.2e-7 * abs(want)
    if tag == 'i':
        return int(got) == want
    return got == want

i = 0
nsweep = 0
stim_n, stim_resp, sizes = None, 0, set()
for n, e in enumerate(events):
    path, tags, args = parse(lines[i]); i += 1
    assert path == '/lsrmon/' + e['type'], (n, path, e['type'])
    exp = expected(e)
    assert tags == ''.join(t for t, _ in exp), (n, e['type'], tags, ''.join(t for t, _ in exp))
    for k, ((t, v), g) in enumerate(zip(exp, args)):
        assert same(t, v, g), (n, e['type'], k, v, g)
    if e['type'] == 'stim':
        stim_n, stim_resp = e['n'], 0
    elif e['type'] == 'response':
        stim_resp += 1
    # --osc-sweeps: right after the stimulus's bundle, one per channel
    chans = []
    while i < len(lines) and lines[i].split()[1] == '/lsrmon/sweep':
        _, tags, args = parse(lines[i]); i += 1
        assert tags == 'iifb', tags
        assert int(args[0]) == stim_n, (args, stim_n)
        assert same('f', events[0]['rate'], args[2]), args
        assert args[3].startswith('[') and args[4:6] == ['byte', 'blob]'], args
        sizes.add(int(args[3][1:]))  # oscdump: [<bytes> byte blob]
        chans.append(int(args[1]))
    if chans:
        assert sweeps and chans == list(range(stim_resp)), (stim_n, chans)
        nsweep += len(chans)
rate = events[0]['rate']
# -10 ... +100 ms of float32 samples
assert len(sizes) <= 1 and sizes <= {4 * round(0.11 * rate), 4 * (round(0.11 * rate) + 1)}, sizes
assert i == len(lines), f"{len(lines) - i} extra OSC messages"
nresp = sum(e['type'] == 'response' for e in events)
assert not sweeps or nsweep == nresp, (nsweep, nresp)
print(f"{len(events)} events and {nsweep} sweeps match")
PY
done
