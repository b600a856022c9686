#!/usr/bin/python3
"""tests/e2e/fixcmp.py — plays one fixture headless and compares lsrmon's
event stream with its expected-events file (format: fixtures/README).
Prints every mismatch as the expected line and what came instead; exit 0 when
everything matches, 1 on a mismatch, 2 on a bad expected file.

  fixcmp.py EXPECT --lsrmon BIN --dir FIXTURES --build-dir GENERATED
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

LISTS = ('stim', 'mark', 'loss', 'return', 'gap', 'invalid')


class Bad(Exception):
    pass


def parse(path):
    """key -> value for single keys; key -> [(lineno, text)] for lists."""
    single, lists, lineno = {}, {k: [] for k in LISTS}, {}
    stats = []
    for n, raw in enumerate(open(path, encoding='utf-8'), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        key, _, val = line.partition(' ')
        val = val.strip()
        if key in LISTS:
            lists[key].append((n, val))
        elif key == 'stat':
            stats.append((n, val))
        elif key in ('fixture', 'args', 'repair', 'exit', 'stderr', 'rate', 'roles',
                     'tolerance', 'states', 'final', 'phase', 'stims', 'valid_others'):
            if key in single:
                raise Bad(f'{path}:{n}: {key} given twice')
            single[key], lineno[key] = val, n
        else:
            raise Bad(f'{path}:{n}: unknown key {key!r}')
    if 'fixture' not in single:
        raise Bad(f'{path}: no fixture line')
    return single, lists, stats, lineno


def split_tol(val, default):
    """'34.9 premature ± 1.5' -> ('34.9 premature', 1.5)."""
    if '±' in val:
        v, _, t = val.rpartition('±')
        return v.strip(), float(t)
    return val, default


def run(single, args, tmp):
    name = single['fixture']
    path = (os.path.join(args.build_dir, name[6:]) if name.startswith('build:')
            else os.path.join(args.dir, name))
    if not os.path.exists(path):
        raise Bad(f'fixture {path} is missing' +
                  (' (run make fixtures)' if name.startswith('build:') else ''))
    if single.get('repair') == 'yes':
        copy = os.path.join(tmp, os.path.basename(path))
        shutil.copyfile(path, copy)
        r = subprocess.run([args.lsrmon, '--repair', copy], capture_output=True, text=True)
        if r.returncode != 0:
            raise Bad(f'lsrmon --repair {name}: exit {r.returncode}: {r.stderr.strip()}')
        stem, ext = os.path.splitext(copy)
        path = stem + '.repaired' + ext
    cmd = [args.lsrmon, '--headless', '--replay', path] + shlex.split(single.get('args', ''))
    r = subprocess.run(cmd, capture_output=True, text=True, errors='replace')
    events = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            events.append(json.loads(line))
        except ValueError:
            raise Bad(f'output line {n} is not JSON: {line[:120]}')
    return r.returncode, r.stderr, events


class Report:
    def __init__(self, path):
        self.path, self.out = path, []

    def differ(self, lineno, what, expected, got):
        where = f'line {lineno}: ' if lineno else ''
        self.out.append(f'  {where}{what}\n    expected: {expected}\n    got:      {got}')


def near(a, b, tol):
    return abs(a - b) <= tol + 1e-9


def compare(single, lists, stats, lineno, code, stderr, events, rep):
    tol = float(single.get('tolerance', '0'))
    want_exit = int(single.get('exit', '0'))
    if code != want_exit:
        rep.differ(lineno.get('exit'), 'exit status', want_exit,
                   f'{code} (stderr: {stderr.strip()[:200]})')
    if 'stderr' in single and single['stderr'] not in stderr:
        rep.differ(lineno['stderr'], 'stderr holds', single['stderr'], stderr.strip()[:300])
    if want_exit != 0:
        return
    start = next((e for e in events if e.get('type') == 'start'), None)
    end = events[-1] if events and events[-1].get('type') == 'end' else None
    if start is None or end is None:
        rep.differ(None, 'stream', 'start first, end last',
                   f'{len(events)} events, last {events[-1].get("type") if events else None}')
        return
    if 'rate' in single and str(start['rate']) != single['rate']:
        rep.differ(lineno['rate'], 'rate', single['rate'], start['rate'])
    if 'roles' in single:
        got = ' '.join(c['role'] for c in start['channels'])
        if got != single['roles']:
            rep.differ(lineno['roles'], 'roles', single['roles'], got)
    states = [e for e in events if e['type'] == 'state']
    if 'states' in single:
        got = ' '.join(['acquiring'] + [s['state'] for s in states])
        # "name?": allowed, not required
        pat = ''.join(f'(?: {re.escape(w[:-1])})?' if w.endswith('?') else ' ' + re.escape(w)
                      for w in single['states'].split())
        if not re.fullmatch(pat, ' ' + got):
            rep.differ(lineno['states'], 'states', single['states'], got)
    if 'final' in single and end['final'] != single['final']:
        rep.differ(lineno['final'], 'final', single['final'], end['final'])
    if 'phase' in single:
        got = end['final_phase'] or 'null'
        if got != single['phase']:
            rep.differ(lineno['phase'], 'final_phase', single['phase'], got)
    stims = [e for e in events if e['type'] == 'stim']
    if 'stims' in single and int(single['stims']) != len(stims):
        rep.differ(lineno['stims'], 'stimulus count', single['stims'], len(stims))

    def each(key, got_lines, match, same=None):
        """Pairs the expected lines of a list key with what came, in order:
        `same` (default: match) aligns the two lists, so that one missing or
        extra item shows as such instead of shifting every later pair."""
        same = same or match
        exp, got = lists[key], got_lines
        i = j = 0
        while i < len(exp) or j < len(got):
            if i < len(exp) and j < len(got) and same(exp[i][1], got[j][1]):
                if not match(exp[i][1], got[j][1]):
                    rep.differ(exp[i][0], key, f'{key} {exp[i][1]}', f'{key} {got[j][0]}')
                i, j = i + 1, j + 1
                continue
            # got[j] is a later expected line: exp[i] is missing;
            # exp[i] comes later: got[j] is extra; neither: they differ
            missing = j >= len(got) or (i < len(exp) and any(
                same(e[1], got[j][1]) for e in exp[i + 1:i + 4]))
            extra = i >= len(exp) or any(same(exp[i][1], g[1]) for g in got[j + 1:j + 4])
            if missing and not extra:
                rep.differ(exp[i][0], key, f'{key} {exp[i][1]}', '(nothing)')
                i += 1
            elif extra and not missing:
                after = f'after line {exp[i - 1][0]}' if i else 'before the first'
                rep.differ(None, f'unexpected {key} ({after})', '(nothing)',
                           f'{key} {got[j][0]}')
                j += 1
            else:
                rep.differ(exp[i][0], key, f'{key} {exp[i][1]}', f'{key} {got[j][0]}')
                i, j = i + 1, j + 1

    def m_stim(val, e):
        v, t = split_tol(val, tol)
        n, at = v.split()
        return e['n'] == int(n) and near(e['t'], float(at), t)

    def same_stim(val, e):
        v, t = split_tol(val, tol)
        return near(e['t'], float(v.split()[1]), t)
    each('stim', [(f'{e["n"]} {e["t"]:.4f}', e) for e in stims], m_stim, same_stim)

    def m_mark(val, e):
        v, t = split_tol(val, tol)
        at, _, label = v.partition(' ')
        return e['label'] == label and near(e['t'], float(at), t)
    marks = [e for e in events if e['type'] == 'mark']
    each('mark', [(f'{e["t"]:.4f} {e["label"]}', e) for e in marks], m_mark)

    def phase_of(s):
        return 'premature' if s['premature'] else 'after_decompression'

    def m_loss(val, s):
        v, t = split_tol(val, tol)
        at, ph = v.split()
        return near(s['since'], float(at), t) and phase_of(s) == ph
    gone = [s for s in states if s['state'] == 'disappeared']
    each('loss', [(f'{s["since"]:.4f} {phase_of(s)} (confirmed at {s["t"]:.4f})', s)
                  for s in gone], m_loss)

    def m_return(val, s):
        v, t = split_tol(val, tol)
        return near(s['since'], float(v), t)
    back = [b for a, b in zip(states, states[1:])
            if a['state'] == 'disappeared' and b['state'] in ('present', 'reduced')]
    each('return', [(f'{s["since"]:.4f} (confirmed at {s["t"]:.4f})', s) for s in back],
         m_return)

    def m_gap(val, e):
        v, t = split_tol(val, tol)
        at, n = v.split()
        return e['samples'] == int(n) and near(e['t'], float(at), t)
    gaps = [e for e in events if e['type'] == 'gap']
    each('gap', [(f'{e["t"]:.4f} {e["samples"]}', e) for e in gaps], m_gap)

    # Trials not judged: a stimulus whose response on some LSR channel is
    # invalid.  The listed ones must be invalid on every LSR channel, for a
    # listed reason; with valid_others yes, no other may be.
    lsr = {c['index'] for c in start['channels'] if c['role'] == 'lsr'}
    why = {}
    for e in events:
        if e['type'] == 'response' and e['ch'] in lsr:
            why.setdefault(e['n'], []).append(None if e['valid'] else e['invalid_reason'])
    bad = [(n, r) for n, r in sorted(why.items()) if any(x is not None for x in r)]

    def m_invalid(val, g):
        n, reasons = val.split()
        ok = reasons.split(',')
        return g[0] == int(n) and all(x is not None and ('any' in ok or x in ok) for x in g[1])

    def same_invalid(val, g):
        return g[0] == int(val.split()[0])
    shown = [(f'{n} {",".join(sorted({x or "valid" for x in r}))}', (n, r)) for n, r in bad]
    if single.get('valid_others') == 'yes':
        each('invalid', shown, m_invalid, same_invalid)
    else:
        got = {g[1][0]: g for g in shown}
        for n, val in lists['invalid']:
            g = got.get(int(val.split()[0]))
            if g is None or not m_invalid(val, g[1]):
                rep.differ(n, 'invalid', f'invalid {val}', f'invalid {g[0]}' if g else '(a valid trial)')

    for n, val in stats:
        k, _, v = val.partition(' ')
        got = end['stats'].get(k)
        if str(got) != v.strip():
            rep.differ(n, f'stat {k}', v.strip(), got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('expect')
    ap.add_argument('--lsrmon', required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--build-dir', required=True)
    args = ap.parse_args()
    rep = Report(args.expect)
    try:
        single, lists, stats, lineno = parse(args.expect)
        with tempfile.TemporaryDirectory() as tmp:
            code, stderr, events = run(single, args, tmp)
        compare(single, lists, stats, lineno, code, stderr, events, rep)
    except (Bad, ValueError, KeyError, OSError) as e:
        print(f'{args.expect}: {e}')
        return 2
    if rep.out:
        print(f'{args.expect}: {len(rep.out)} mismatch{"es" if len(rep.out) > 1 else ""} '
              f'(fixture {single["fixture"]})')
        print('\n'.join(rep.out))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
