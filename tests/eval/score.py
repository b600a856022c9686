"""tests/eval/score.py — scores one simulated case from the simulator's
ground truth only, with the definitions of tests/eval/README.md.

A *timeline* is what a detector said at each true stimulus: the overall
state in force once that stimulus's events are out, and for `disappeared`
whether it was verified and premature.  lsrmon's own timeline is read from
its JSON Lines; the negative controls (controls.py) build theirs.  score()
turns a timeline and the truth into one dictionary of per-case facts, which
evaluate.py adds up per course and SNR band.  Nothing here looks at how
lsrmon reached a verdict, only at the verdict and the truth.
"""

import bisect
import math

# Definitions (README.md, "Definitions").
LOST = 0.05          # true loss: the LSR factor stays <= this
SEEN = 0.3           # "disappeared" is false while the true amplitude >= this
STALE = 10           # a verdict older than this many valid trials is stale
SETTLE = 10          # valid trials after a change of the course: transition
SETTLE_RETURN = 20   # ... after the LSR comes back (the slowest return bound)
AFTER_CONTAMINATION = 10  # stimuli after a spoiled one still in its window
BASELINE = 40        # valid trials a baseline may take (clinical table)
RULE_TRIALS = 10     # "disappeared": absent over the last 10 valid trials
                     # (clinical table); a shorter loss cannot be called


def snr_band(truth):
    """Single-trial SNR of the case: the smaller LSR channel's noise-free
    baseline peak-to-peak over its true noise RMS."""
    p = truth['patient']
    snr = min(p['lsr_uv']) / p['noise_uv']
    return snr, ('lt4' if snr < 4 else '4to10' if snr < 10 else 'ge10')


def cure_bound(band):
    """Valid trials within which a loss must be called, by band."""
    return {'ge10': 12, '4to10': 20, 'lt4': 40}[band]


def return_bound(band):
    return {'ge10': 5, '4to10': 10, 'lt4': 20}[band]


class Step:
    """One true stimulus and the verdict in force after it."""
    __slots__ = ('t', 'usable', 'factor', 'amp', 'direct', 'state',
                 'verified', 'premature', 'changing', 'spoiled')


def lsrmon_timeline(events):
    """(t, state, verified, premature) of every `state` event, in order."""
    return [(e['t'], e['state'], e.get('verified'), e.get('premature'))
            for e in events if e['type'] == 'state']


def align(truth, timeline):
    """One Step per true stimulus: the truth and the last verdict whose
    stimulus is at or before it.  A detector's stimulus time may differ from
    the true one by the artifact detector's latency: 5 ms of slack."""
    times = [x[0] for x in timeline]
    steps, spoiled_until = [], -1
    stims = truth['stims']
    for i, s in enumerate(stims):
        st = Step()
        st.t = s['t']
        st.usable = s['usable']
        st.factor = s['factor']
        # The true amplitude relative to baseline, as the patient received
        # the stimulus: nothing when it missed the nerve.
        st.amp = s['factor'] if s['reaches_nerve'] else 0.0
        st.direct = s['direct_factor'] if s['reaches_nerve'] else 0.0
        prev = stims[i - 1]['factor'] if i else 1.0
        st.changing = abs(s['factor'] - prev) > 1e-9
        if not s['usable']:
            spoiled_until = i + AFTER_CONTAMINATION
        st.spoiled = i <= spoiled_until
        k = bisect.bisect_right(times, s['t'] + 0.005) - 1
        if k < 0:
            st.state, st.verified, st.premature = 'acquiring', None, None
        else:
            _, st.state, st.verified, st.premature = timeline[k]
        steps.append(st)
    return steps


def transition_mask(steps):
    """True for stimuli inside a transition window: while the course
    changes, and for SETTLE (SETTLE_RETURN after a rise) valid trials
    after it stops changing."""
    mask, left = [], 0
    for i, st in enumerate(steps):
        if st.changing:
            rise = i and st.factor > steps[i - 1].factor
            left = SETTLE_RETURN if rise else SETTLE
            mask.append(True)
            continue
        mask.append(left > 0)
        if st.usable and left > 0:
            left -= 1
    return mask


def loss_segments(steps):
    """[(first, last)] index ranges of true losses: from the first stimulus
    after which the factor stays <= LOST, to the last before it rises."""
    segs, i, n = [], 0, len(steps)
    while i < n:
        if steps[i].factor <= LOST and (i == 0 or steps[i - 1].factor > LOST):
            j = i
            while j + 1 < n and steps[j + 1].factor <= LOST:
                j += 1
            segs.append((i, j))
            i = j + 1
        else:
            i += 1
    return segs


def valid_between(steps, a, b):
    """Valid (usable) trials among stimuli a..b inclusive."""
    return sum(1 for st in steps[a:b + 1] if st.usable)


def call_of(steps, seg):
    """The loss seg=(first, last) is called at the first `disappeared`
    from where the factor fell below SEEN (an earlier one is a false
    disappeared) to the end of the loss.  Returns (index, valid trials from
    the true loss to the call, the verdict) or None."""
    first, last = seg
    start = first
    while start > 0 and steps[start - 1].factor < SEEN:
        start -= 1
    for i in range(start, last + 1):
        if steps[i].state == 'disappeared':
            n = valid_between(steps, first, i) if i >= first else 0
            return i, n, steps[i]
    return None


def stale_spans(steps):
    """Spans of more than STALE valid trials in which the state is present
    or disappeared while the last valid trial that supports it is older:
    present with no LSR (factor <= LOST) for more than STALE valid trials,
    disappeared with the LSR back (factor >= SEEN) for as long."""
    spans, age, in_span, prev_state = 0, 0, False, None
    for st in steps:
        if st.state != prev_state:
            age, in_span, prev_state = 0, False, st.state
        if st.state not in ('present', 'disappeared') or not st.usable:
            continue
        supports = (st.factor > LOST if st.state == 'present'
                    else st.factor < SEEN)
        age = 0 if supports else age + 1
        if age > STALE and not in_span:
            spans += 1
            in_span = True
        elif age == 0:
            in_span = False
    return spans


def score(truth, course, timeline, final):
    """Per-case facts for one detector's timeline.  `final` is end.final."""
    steps = align(truth, timeline)
    trans = transition_mask(steps)
    snr, band = snr_band(truth)
    marks = [m['t'] for m in truth['marks'] if m['label'] == 'Decompression']
    dec = marks[0] if marks else math.inf
    r = {'course': course, 'band': band, 'snr': snr}

    # False disappeared: disappeared while the LSR is there.
    r['false_disappeared'] = any(
        st.state == 'disappeared' and st.amp >= SEEN and st.usable
        and not trans[i] and not st.spoiled
        for i, st in enumerate(steps))

    # A loss of the direct response (stimulus off the nerve, lowered
    # intensity, blockade) called a verified disappearance.
    if course in ('stim-failure', 'intensity', 'blockade'):
        # (Off the nerve the direct factor counts as 0.)
        r['verified_false_cure'] = any(
            st.state == 'disappeared' and st.verified and st.direct < 0.8
            for st in steps)

    r['stale_spans'] = stale_spans(steps)

    segs = loss_segments(steps)
    if course in ('classic', 'no-sync') and segs:
        seg = segs[-1]
        c = call_of(steps, seg)
        r['cure_trials'] = c[1] if c else None
        # Returned after the cure was called: present or reduced again
        # while the LSR is still lost.
        r['false_returned'] = bool(c) and any(
            st.state in ('present', 'reduced')
            for st in steps[c[0]:seg[1] + 1])
        bound = cure_bound(band)
        if band == 'lt4' and not (c and c[1] <= bound):
            # The cure not called in time: what is shown once the bound
            # has passed must be indeterminate, never present.
            k = seg[0]
            n = 0
            while k <= seg[1] and n < bound:
                n += steps[k].usable
                k += 1
            r['lt4_present'] = any(st.state == 'present'
                                   for st in steps[k:seg[1] + 1])

    if course == 'premature' and segs:
        seg = segs[0]
        c = call_of(steps, seg)
        ok = c is not None and c[2].premature is True and steps[c[0]].t < dec
        # A loss of fewer valid trials than the rule's is not held to
        # the call's bound (README.md, "Premature called").
        r['premature_short'] = valid_between(steps, seg[0], seg[1]) < RULE_TRIALS
        r['premature_called'] = ok
        r['premature_trials'] = c[1] if ok else None
        # The return: present (or reduced) again after the LSR came back.
        back = seg[1] + 1
        r['return_trials'] = None
        if c and back < len(steps):
            for i in range(back, len(steps)):
                if steps[i].factor <= LOST:
                    break
                if steps[i].state in ('present', 'reduced'):
                    r['return_trials'] = valid_between(steps, back, i)
                    break

    if course == 'partial':
        p = truth['patient']
        low = steps[-1].factor
        residual = max(low * u for u in p['lsr_uv']) / p['noise_uv']
        if residual >= 3:
            r['partial_reduced'] = any(st.state == 'reduced' for st in steps
                                       if st.factor == low)

    if course == 'persistent':
        low = steps[-1].factor
        after = [st for st in steps if st.factor == low and st.usable
                 and low < 1]
        r['reduced_trials'] = (sum(st.state == 'reduced' for st in after),
                               len(after))

    if course != 'no-lsr':
        # The patient has an LSR: did the detector ever find it?
        r['lsr_missed'] = not any(st.state in ('present', 'reduced', 'disappeared')
                                  for st in steps)
        # Not judging while the LSR is at baseline and the trial valid:
        # any verdict but present, reduced or disappeared (indeterminate,
        # not_detected, stimulation_failure, no_stimulus, still acquiring)
        # once a baseline (at most BASELINE valid trials) could be taken.
        valid_seen, base = 0, []
        for i, st in enumerate(steps):
            valid_seen += st.usable
            if (valid_seen > BASELINE and st.usable and st.factor >= 0.95
                    and not trans[i]):
                base.append(st)
        r['unjudged_trials'] = (
            sum(st.state not in ('present', 'reduced', 'disappeared')
                for st in base), len(base))
    else:
        r['not_detected'] = final == 'not_detected'
        r['no_lsr_judged'] = any(st.state in ('present', 'disappeared')
                                 for st in steps)
    return r
