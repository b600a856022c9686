#!/usr/bin/python3
"""tests/eval/evaluate.py — `make evaluate`: the real lsrmon, headless at
--speed max, over a seeded set of simulated patients per course, scored
from the simulator's ground truth (score.py) and checked against the
targets of tests/eval/targets.txt.  Prints one table per detector (lsrmon
and the negative controls of controls.py) with a row per course and SNR
band; --results also writes it to a Markdown file with the date and commit.

    evaluate.py --lsrmon ./lsrmon --simtruth build/rel/tools/simtruth
                [--patients 300] [--seed 1] [--jobs 2] [--results FILE]
                [--detectors lsrmon,always-present,...] [--short]

The tables go to stdout and depend only on the binaries, the seed and the
number of patients; timing goes to stderr.  The exit status is 0 whatever
the verdicts (2 on bad usage, 1 when a run fails).
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import controls  # noqa: E402
import score  # noqa: E402

# The courses (lsrmon --scenario) and the length of each simulated case: a
# cure runs 10 minutes past its Decompression mark (at half the case), so
# that a false return after it has ten minutes to happen.
COURSES = [
    ('classic', 1260), ('premature', 300), ('persistent', 300),
    ('partial', 300), ('stim-failure', 300), ('intensity', 300),
    ('blockade', 300), ('noise-rise', 300), ('no-lsr', 300),
    ('no-sync', 300),
]
BANDS = ['lt4', '4to10', 'ge10']
BAND_NAMES = {'lt4': '< 4', '4to10': '4–10', 'ge10': '≥ 10', 'all': 'all'}
WANTED = ('"type":"state"', '"type":"stim"', '"type":"mark"', '"type":"end"',
          '"role":"lsr"')


def patients(seed, n):
    """The fixed set of a seed: patient ids (and lsrmon seeds) seed·10⁵ + i."""
    return [seed * 100000 + i for i in range(1, n + 1)]


def run_case(args):
    """Runs one case; returns (course, patient, {detector: facts})."""
    lsrmon, simtruth, course, duration, patient, detectors = args
    common = ['--scenario', course, '--seed', str(patient), '--duration',
              str(duration), '--sim-patient', str(patient)]
    truth = json.loads(subprocess.run([simtruth] + common, check=True,
                                      capture_output=True).stdout)
    out = subprocess.run([lsrmon, '--headless', '--speed', 'max'] + common,
                         check=True, capture_output=True, text=True).stdout
    events = [json.loads(line) for line in out.splitlines()
              if any(w in line for w in WANTED)]
    end = events[-1]
    if end['type'] != 'end':
        raise RuntimeError(f'{course} patient {patient}: no end event')
    facts = {}
    for d in detectors:
        if d == 'lsrmon':
            timeline, final = score.lsrmon_timeline(events), end['final']
        else:
            timeline, final = controls.CONTROLS[d](events)
        facts[d] = score.score(truth, course, timeline, final)
    return course, patient, facts


def read_targets(path):
    """[(metric, courses, bands, op, value)] from the targets file."""
    targets = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            if len(line) != 5 or line[3] not in ('<=', '>='):
                sys.exit(f'{path}:{lineno}: expected: metric courses bands <=|>= value')
            try:
                value = float(line[4])
            except ValueError:
                sys.exit(f'{path}:{lineno}: bad value {line[4]!r}')
            targets.append((line[0], line[1].split(','), line[2].split(','),
                            line[3], value))
    return targets


def pct(num, den):
    return None if den == 0 else 100.0 * num / den


def within(cases, key, bound):
    """% of cases whose c[key] (valid trials to a call, None: never) is at
    most bound(c)."""
    return pct(sum(c[key] is not None and c[key] <= bound(c) for c in cases),
               len(cases))


def aggregate(cases):
    """The row's metrics (None where the row has no such case)."""
    m = {'cases': len(cases)}
    m['false_disappeared'] = sum(c['false_disappeared'] for c in cases)
    fc = [c for c in cases if 'verified_false_cure' in c]
    m['verified_false_cure'] = sum(c['verified_false_cure'] for c in fc) if fc else None
    m['stale_spans'] = sum(c['stale_spans'] for c in cases)
    cures = [c for c in cases if 'cure_trials' in c]
    m['false_returned_pct'] = pct(sum(c['false_returned'] for c in cures), len(cures))
    for k in (12, 20, 40):
        m[f'cure_{k}_pct'] = within(cures, 'cure_trials', lambda c, k=k: k)
    m['cure_called_pct'] = within(cures, 'cure_trials', lambda c: score.cure_bound(c['band']))
    called = sorted(c['cure_trials'] for c in cures if c['cure_trials'] is not None)
    m['call_median'] = statistics.median(called) if called else None
    m['call_p95'] = called[min(len(called) - 1, int(0.95 * len(called)))] if called else None
    low = [c for c in cures if 'lt4_present' in c]
    m['lt4_present'] = sum(c['lt4_present'] for c in low) if cures else None
    pre = [c for c in cases if 'premature_trials' in c]
    long_enough = [c for c in pre if not c['premature_short']]
    m['premature_short'] = len(pre) - len(long_enough) if pre else None
    m['premature_called_pct'] = within(long_enough, 'premature_trials',
                                       lambda c: score.cure_bound(c['band']))
    # the return of a premature loss that was called: one never called
    # has no return to show, and counts against premature_called_pct
    back = [c for c in pre if c['premature_called']]
    for k in (5, 10, 20):
        m[f'return_{k}_pct'] = within(back, 'return_trials', lambda c, k=k: k)
    m['return_called_pct'] = within(back, 'return_trials',
                                    lambda c: score.return_bound(c['band']))
    part = [c for c in cases if 'partial_reduced' in c]
    m['partial_reduced_pct'] = pct(sum(c['partial_reduced'] for c in part), len(part))
    red = [c['reduced_trials'] for c in cases if 'reduced_trials' in c]
    m['persistent_reduced_pct'] = pct(sum(a for a, _ in red), sum(b for _, b in red))
    ind = [c['unjudged_trials'] for c in cases if 'unjudged_trials' in c]
    m['unjudged_pct'] = pct(sum(a for a, _ in ind), sum(b for _, b in ind))
    found = [c for c in cases if 'lsr_missed' in c]
    m['lsr_missed_pct'] = pct(sum(c['lsr_missed'] for c in found), len(found))
    nl = [c for c in cases if 'not_detected' in c]
    m['not_detected_pct'] = pct(sum(c['not_detected'] for c in nl), len(nl))
    m['no_lsr_judged'] = sum(c['no_lsr_judged'] for c in nl) if nl else None
    return m


def verdict(targets, course, band, m):
    """(PASS/FAIL, [failed metrics]) for one row; a target applies when its
    course list and band list name the row ('*' for any; a band target is
    judged on the band rows, whose failures the 'all' row repeats)."""
    failed, applied = [], 0
    for metric, courses, bands, op, value in targets:
        if '*' not in courses and course not in courses:
            continue
        if '*' not in bands and band not in bands:
            continue
        v = m.get(metric)
        if v is None:
            continue
        applied += 1
        if not (v <= value if op == '<=' else v >= value):
            failed.append(metric)
    if not applied:
        return '—', []
    return ('FAIL' if failed else 'PASS'), failed


def fmt(v, unit=''):
    if v is None:
        return '—'
    if isinstance(v, float) and not v.is_integer():
        return f'{v:.1f}{unit}'
    return f'{int(v)}{unit}'


COLUMNS = [
    ('course', None), ('SNR', None), ('cases', 'cases'),
    ('false disappeared', 'false_disappeared'),
    ('false returned after cure', 'false_returned_pct'),
    ('verified false cure', 'verified_false_cure'),
    ('stale spans', 'stale_spans'),
    ('cured ≤12 / ≤20 / ≤40', None), ('loss→call median / p95', None),
    ('< 4 shown present', 'lt4_present'),
    ('premature called', 'premature_called_pct'),
    ('premature < 10 trials', 'premature_short'),
    ('returned ≤5 / ≤10 / ≤20', None),
    ('reduced on partial', 'partial_reduced_pct'),
    ('reduced trials (persistent)', 'persistent_reduced_pct'),
    ('not judged at baseline', 'unjudged_pct'),
    ('LSR never found', 'lsr_missed_pct'),
    ('ends not_detected', 'not_detected_pct'),
    ('no LSR judged', 'no_lsr_judged'),
    ('verdict', None),
]
PCT = {'false_returned_pct', 'premature_called_pct', 'partial_reduced_pct',
       'persistent_reduced_pct', 'unjudged_pct', 'not_detected_pct',
       'lsr_missed_pct'}


def row_cells(course, band, m, result):
    cells = []
    for title, key in COLUMNS:
        if title == 'course':
            cells.append(course)
        elif title == 'SNR':
            cells.append(BAND_NAMES[band])
        elif title.startswith('cured'):
            cells.append(' / '.join(fmt(m[f'cure_{k}_pct'], '%') for k in (12, 20, 40))
                         if m['cure_12_pct'] is not None else '—')
        elif title.startswith('loss'):
            cells.append(f"{fmt(m['call_median'])} / {fmt(m['call_p95'])}"
                         if m['call_median'] is not None else '—')
        elif title.startswith('returned'):
            cells.append(' / '.join(fmt(m[f'return_{k}_pct'], '%') for k in (5, 10, 20))
                         if m['return_5_pct'] is not None else '—')
        elif title == 'verdict':
            v, failed = result
            cells.append(v + (' (' + ', '.join(failed) + ')' if failed else ''))
        else:
            cells.append(fmt(m[key], '%' if key in PCT else ''))
    return cells


def table(detector, by_case, targets, courses):
    """The Markdown table of one detector, and its (pass, fail) row counts."""
    lines = [f'### {detector}', '',
             '| ' + ' | '.join(t for t, _ in COLUMNS) + ' |',
             '|' + '---|' * len(COLUMNS)]
    npass = nfail = 0
    for course, _ in courses:
        cases = [f[detector] for (c, _), f in sorted(by_case.items()) if c == course]
        band_failed = []
        for band in BANDS + ['all']:
            sel = cases if band == 'all' else [c for c in cases if c['band'] == band]
            if not sel:
                continue
            m = aggregate(sel)
            result = verdict(targets, course, band, m)
            if band != 'all':
                band_failed += [f for f in result[1] if f not in band_failed]
            else:
                # The row of all bands fails where any band fails.
                failed = result[1] + [f for f in band_failed if f not in result[1]]
                result = ('FAIL' if failed else result[0]), failed
            npass += result[0] == 'PASS'
            nfail += result[0] == 'FAIL'
            lines.append('| ' + ' | '.join(row_cells(course, band, m, result)) + ' |')
    lines += ['', f'{detector}: {npass} rows PASS, {nfail} rows FAIL', '']
    return lines, npass, nfail


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--lsrmon', required=True)
    ap.add_argument('--simtruth', required=True)
    ap.add_argument('--patients', type=int, default=300)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--targets', default=os.path.join(here, 'targets.txt'))
    ap.add_argument('--results', help='also write the tables to this Markdown file')
    ap.add_argument('--detectors', default='lsrmon,' + ','.join(controls.CONTROLS))
    ap.add_argument('--short', action='store_true',
                    help='every case 300 s (the cure too): a quicker sample')
    ap.add_argument('--courses', help='only these courses (comma separated)')
    ap.add_argument('--cases', help='also write every case\'s facts, as JSON, to this file')
    a = ap.parse_args()
    detectors = a.detectors.split(',')
    for d in detectors:
        if d != 'lsrmon' and d not in controls.CONTROLS:
            ap.error(f'--detectors: unknown detector {d!r}')
    if not 1 <= a.patients <= 99999 or a.seed < 0 or a.jobs < 1:
        ap.error('--patients 1…99999, --seed ≥ 0, --jobs ≥ 1')
    targets = read_targets(a.targets)
    courses = COURSES
    if a.courses:
        known = dict(COURSES)
        wanted = a.courses.split(',')
        for c in wanted:
            if c not in known:
                ap.error(f'--courses: unknown course {c!r}')
        courses = [(c, known[c]) for c in wanted]
    jobs = [(a.lsrmon, a.simtruth, c, min(d, 300) if a.short else d, p, detectors)
            for c, d in courses for p in patients(a.seed, a.patients)]
    t0 = time.monotonic()
    by_case = {}
    with concurrent.futures.ProcessPoolExecutor(a.jobs) as ex:
        for course, patient, facts in ex.map(run_case, jobs, chunksize=4):
            by_case[(course, patient)] = facts
    elapsed = time.monotonic() - t0
    out = [f'{a.patients} patients per course, seed {a.seed}'
           f'{", every case 300 s" if a.short else ""}; targets '
           f'{os.path.relpath(a.targets, here)}', '']
    for d in detectors:
        out += table(d, by_case, targets, courses)[0]
    if a.cases:
        with open(a.cases, 'w', encoding='utf-8') as f:
            json.dump([{'course': c, 'patient': p, 'facts': facts}
                       for (c, p), facts in sorted(by_case.items())], f, indent=1,
                      default=str)
    text = '\n'.join(out)
    print(text)
    print(f'evaluate: {len(jobs)} cases in {elapsed:.0f} s with {a.jobs} jobs',
          file=sys.stderr)
    if a.results:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=here,
                                capture_output=True, text=True).stdout.strip() or 'unknown'
        now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
        with open(a.results, 'w', encoding='utf-8') as f:
            f.write(f'# Detector quality (`make evaluate`)\n\n'
                    f'Run of {now}, commit {commit}, {len(jobs)} cases in '
                    f'{elapsed / 60:.1f} min with {a.jobs} jobs.  Definitions and '
                    f'targets: tests/eval/README.md, tests/eval/targets.txt.\n\n'
                    f'{text}\n')


if __name__ == '__main__':
    try:
        main()
    except subprocess.CalledProcessError as e:
        print(f'evaluate: {" ".join(e.cmd)}: exit {e.returncode}\n{e.stderr}',
              file=sys.stderr)
        sys.exit(1)
