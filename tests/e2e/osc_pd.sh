#!/usr/bin/env bash
# OSC into Pure Data itself: a patch run headless, [netreceive -u -b PORT] ->
# [oscparse] -> [print], receives the replay of fixtures/premature.bdf and
# quits when /lsrmon/end arrives.  Pd logs no error (an N tag, a malformed
# bundle), it receives one message per JSON Lines event, and every field at
# its position in lsrmon(1) "OSC" equals the JSON value: numbers to the 6
# digits Pd prints, text exactly, a missing text "", present's null -1.  A
# missing number is sent as f NaN (osc_oscdump.sh sees it on the wire); Pd's
# [oscparse] turns every NaN or infinite float into 0, so here it reads 0.
set -u
: "${LSRMON:?}" "${LSR_BUILD:?}"
here=$(dirname "$0")
dir=$(mktemp -d)
pd_pid=
cleanup() { [ -n "$pd_pid" ] && kill "$pd_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

port=$("$LSR_BUILD/tools/freeport" udp) || exit 1
# [t a a] prints before the end test: Pd fires outlets right to left.
cat >"$dir/recv.pd" <<EOF
#N canvas 0 0 450 300 12;
#X obj 10 10 netreceive -u -b $port;
#X obj 10 40 oscparse;
#X obj 10 70 t a a;
#X obj 120 100 print osc;
#X obj 10 100 list trim;
#X obj 10 130 route lsrmon;
#X obj 10 160 route end;
#X msg 10 190 \; pd quit;
#X obj 200 10 loadbang;
#X obj 200 40 print ready;
#X connect 0 0 1 0;
#X connect 1 0 2 0;
#X connect 2 1 3 0;
#X connect 2 0 4 0;
#X connect 4 0 5 0;
#X connect 5 0 6 0;
#X connect 6 0 7 0;
#X connect 8 0 9 0;
EOF
pd -nogui -noaudio -nomidi -stderr "$dir/recv.pd" 2>"$dir/pd.log" &
pd_pid=$!
# The socket is bound when the patch is built, before loadbang fires.
for _ in $(seq 200); do
	grep -q '^ready: bang' "$dir/pd.log" && break
	kill -0 "$pd_pid" 2>/dev/null || { echo "pd died:"; cat "$dir/pd.log"; exit 1; }
	sleep 0.05
done
grep -q '^ready: bang' "$dir/pd.log" || { echo "pd never loaded the patch"; cat "$dir/pd.log"; exit 1; }

# Paced so that Pd's scheduler, not the kernel's socket buffer, sets the
# rate at which datagrams are taken in.
"$LSRMON" --headless --speed 16 --replay fixtures/premature.bdf \
	--osc "osc.udp://127.0.0.1:$port/" >"$dir/ev.jsonl" || { echo "lsrmon exit $?"; exit 1; }
wait "$pd_pid"; rc=$?; pd_pid=
[ $rc -eq 0 ] || { echo "pd exit $rc"; tail "$dir/pd.log"; exit 1; }

PYTHONPATH=$here /usr/bin/python3 - "$dir/ev.jsonl" "$dir/pd.log" <<'PY'
import json, math, re, sys
from oscspec import expected

events = [json.loads(l) for l in open(sys.argv[1])]
log = open(sys.argv[2], encoding='utf-8').read().splitlines()
others = [l for l in log if not l.startswith(('osc: list ', 'ready: bang'))]
assert not others, f"Pd logged: {others[:5]}"
lines = [l[len('osc: list '):] for l in log if l.startswith('osc: list ')]
assert len(lines) == len(events), (len(lines), len(events))

def atoms(line):
    """Pd's print: atoms split by single spaces ("" shows as nothing),
    with space, comma, semicolon and dollar escaped by a backslash."""
    out, cur, i = [], '', 0
    while i < len(line):
        c = line[i]
        if c == '\\' and i + 1 < len(line):
            cur += line[i + 1]; i += 2; continue
        if c == ' ':
            out.append(cur); cur = ''
        else:
            cur += c
        i += 1
    out.append(cur)
    return out

def same(tag, want, got):
    if tag == 's':
        return got == want
    if tag == 'f' and math.isnan(want):
        want = 0.0
    # %g: 6 significant digits, after float32
    return abs(float(got) - want) <= 1e-9 + 1e-5 * abs(want)

seen = {'f NaN': 0, 's ""': 0}
for n, (e, line) in enumerate(zip(events, lines)):
    a = atoms(line)
    assert a[:2] == ['lsrmon', e['type']], (n, a[:2], e['type'])
    exp = expected(e)
    assert len(a) - 2 == len(exp), (n, e['type'], len(a) - 2, len(exp), line)
    for k, ((tag, want), got) in enumerate(zip(exp, a[2:])):
        assert same(tag, want, got), (n, e['type'], k, tag, want, got)
        if tag == 'f' and math.isnan(want):
            seen['f NaN'] += 1
        if tag == 's' and want == '':
            seen['s ""'] += 1
# The replay has nulls of both kinds, so their positions are tested too.
assert all(seen.values()), seen
print(f"Pd: {len(events)} messages at their positions; nulls {seen}")
PY
