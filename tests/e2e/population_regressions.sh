#!/usr/bin/env bash
# tests/e2e/population_regressions.sh — the patients of make evaluate's
# fresh seeds that the detector once got wrong, each scored from the
# simulator's ground truth (tests/eval/score.py) on the fact it got wrong:
# - partial 7978900192 (SNR 4.0; fading shape, latency drifting 1.7 ms):
#   "disappeared" at 291 s while the LSR was at 31% of its baseline — its
#   faded shape sought only around a tracked latency 0.9 ms short of it
#   (docs/detector.md "Fading shapes");
# - partial 9590500098, 9590500148, 1857400099, 7978900122, 7978900165:
#   LSRs of 12–15 ms that run past the 20 ms window's end, faded to 40%,
#   never shown "reduced" — read through part of their shape, and through
#   the baseline's shape after it changed (docs/detector.md "Long LSRs",
#   "Faded shapes read as peak-to-peak");
# - partial 7978900099 (SNR 28; 474 µV, five short phases, jitter 0.46 ms):
#   its first channel "disappeared" at 32%, the averages smearing the faded
#   LSR (docs/detector.md "Jitter"); its long second channel held the
#   overall state until the window lengthened for it;
# - classic 9590500211 (fresh seed 95905, SNR 3.0) and 432600072 (fresh
#   seed 4326, SNR 3.5): a false return ten minutes into the cure, a run
#   of four to six noise trials at 2–3 σ passing the return's z 3.99
#   (docs/detector.md "Case-level rates").
set -eu
/usr/bin/python3 - "$LSRMON" "$LSR_BUILD/tools/simtruth" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), 'tests', 'eval'))
import evaluate  # noqa: E402

lsrmon, simtruth = sys.argv[1:3]
cases = [('partial', p, 'false_disappeared', False) for p in (7978900192, 7978900099)]
cases += [('classic', p, 'false_returned', False) for p in (9590500211, 432600072)]
cases += [('partial', p, 'partial_reduced', True)
          for p in (9590500098, 9590500148, 1857400099, 7978900122, 7978900165)]
durations = dict(evaluate.COURSES)
bad = []
for course, patient, fact, want in cases:
    _, _, facts = evaluate.run_case((lsrmon, simtruth, course, durations[course], patient,
                                     ['lsrmon']))
    got = facts['lsrmon'].get(fact)
    print(f'{course} {patient}: {fact} {got}')
    if got is not want:
        bad.append(f'{course} {patient}: {fact} is {got}, wants {want}')
assert not bad, '\n'.join(bad)
PY
