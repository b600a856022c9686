"""tests/eval/controls.py — three deliberately wrong detectors, scored by
the same harness as lsrmon's to prove that the harness can fail one.

Each builds a timeline (score.lsrmon_timeline's form: t, state, verified,
premature) and the final status from lsrmon's own events of the case (its
stimuli and single-sweep measurements) and the case's marks.
"""

import math


def _stims(events):
    return [e['t'] for e in events if e['type'] == 'stim']


def _decompression(events):
    ts = [e['t'] for e in events if e['type'] == 'mark'
          and e['label'].lower() == 'decompression']
    return ts[0] if ts else math.inf


def always_present(events):
    """Present from the first stimulus to the end."""
    st = _stims(events)
    return ([(st[0], 'present', True, False)] if st else []), 'persistent'


def disappeared_after_decompression(events):
    """Present until a Decompression mark, disappeared (verified, after
    decompression) from the first stimulus after it."""
    st = _stims(events)
    dec = _decompression(events)
    tl = [(st[0], 'present', True, False)] if st else []
    after = [t for t in st if t >= dec]
    if after:
        tl.append((after[0], 'disappeared', True, False))
    return tl, 'disappeared' if after else 'persistent'


def single_sweep(events):
    """Each valid sweep decides alone: present when any LSR channel's
    peak-to-peak is above lsrmon's single-sweep threshold (the first
    detector's rule), disappeared otherwise; invalid sweeps and sweeps
    before a threshold exists hold the last verdict."""
    dec = _decompression(events)
    by_t = {}
    for e in events:
        if e['type'] == 'response' and e['role'] == 'lsr':
            by_t.setdefault(e['t'], []).append(e)
    tl, state = [], None
    for t in sorted(by_t):
        rs = [r for r in by_t[t] if r['valid'] and r['threshold_uv'] is not None
              and r['p2p_uv'] is not None]
        if not rs:
            continue
        now = ('present' if any(r['p2p_uv'] > r['threshold_uv'] for r in rs)
               else 'disappeared')
        if now != state:
            tl.append((t, now, True, now == 'disappeared' and t < dec))
            state = now
    final = {'present': 'persistent', 'disappeared': 'disappeared',
             None: 'indeterminate'}[state]
    return tl, final


CONTROLS = {
    'always-present': always_present,
    'decompression': disappeared_after_decompression,
    'single-sweep': single_sweep,
}
