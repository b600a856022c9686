#!/usr/bin/env bash
# tests/e2e/mains_population.sh — mains=auto on drawn patients of the
# simulated population (0–80 µV of 50 or 60 Hz hum with harmonics and
# drift, tests/tools/mains_population.c runs each patient as drawn and
# without its hum):
#   - noise only (the no-lsr course): the median noise-only p2p over the
#     LSR window with the hum removed is within 10% (or 2 µV) of the same
#     patient without hum; without removal it is not, where the hum is
#     large enough to tell (the test can fail); the frequency found is the
#     patient's;
#   - LSR (the persistent course), the patient without hum: mains=auto
#     against mains=off, trial by trial, LSR p2p changes by 5% on at most
#     1% of the trials and onsets move by 0.1 ms on at most 2% (a threshold
#     crossing a microvolt can move to the next phase); with the hum
#     removed, the late component (20–60 ms, after-discharges) keeps its
#     median amplitude within 5% of the hum-free patient's.
# Expected values come from the same patient without hum and from
# simtruth's patient draw, never from lsrmon's output alone.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
patients=$(seq 1 30)
for n in $patients; do
	mains_population --sim-patient "$n" >"$dir/noise$n.json" || exit 1
	mains_population --sim-patient "$n" --scenario persistent >"$dir/lsr$n.json" || exit 1
	simtruth --scenario no-lsr --sim-patient "$n" --duration 60 >"$dir/truth$n.json" || exit 1
done
/usr/bin/python3 - "$dir" $patients <<'PY'
import json, sys
d, pats = sys.argv[1], sys.argv[2:]
fail, big_hum, worst_noise, worst_late = 0, 0, 0.0, 0.0
moved = trials = changed = p2p_trials = 0
hums = []
for n in pats:
    a = json.load(open(f"{d}/noise{n}.json"))
    b = json.load(open(f"{d}/lsr{n}.json"))
    p = json.load(open(f"{d}/truth{n}.json"))['patient']
    hums.append(p['mains_uv'])
    msg = []
    for c in range(2):
        h, cl, off = (a[k]['ch'][c]['p2p'] for k in ('hum', 'clean', 'off'))
        tol = max(0.1 * cl, 2.0)
        worst_noise = max(worst_noise, abs(h - cl) / cl)
        if abs(h - cl) > tol:
            msg.append(f"ch{c} noise p2p {h:.1f} µV with the hum removed, {cl:.1f} without hum")
        if p['mains_uv'] >= 20:
            big_hum += 1
            if not off > cl + tol:
                msg.append(f"ch{c}: {p['mains_uv']:.0f} µV of hum not removed gives {off:.1f} vs {cl:.1f}")
        lh, lc = b['hum']['ch'][c]['late'], b['clean']['ch'][c]['late']
        if lc and lc > 3 * cl:  # a late component that stands above the noise
            worst_late = max(worst_late, abs(lh - lc) / lc)
            if abs(lh - lc) > 0.05 * lc:
                msg.append(f"ch{c} late p2p {lh:.1f} µV with the hum removed, {lc:.1f} without hum")
    if p['mains_uv'] >= 5 and abs(a['hum']['mains_hz'] - p['mains_hz']) > 0.2:
        msg.append(f"mains {a['hum']['mains_hz']} Hz found, {p['mains_hz']} Hz true")
    ch = b['hum_free_change']
    moved += ch['onset_moved']; trials += ch['onset_trials']
    changed += ch['p2p_changed']; p2p_trials += ch['lsr_trials']
    if msg:
        fail = 1
        print(f"patient {n} ({p['mains_uv']:.0f} µV at {p['mains_hz']:.0f} Hz): " + "; ".join(msg))
assert min(hums) < 5 and max(hums) > 60, hums  # the sample spans the range
assert big_hum >= 20, big_hum
assert trials > 1000 and p2p_trials > 1000, (trials, p2p_trials)
if changed > 0.01 * p2p_trials:
    fail = 1
    print(f"hum-free patients: LSR p2p changed by 5% on {changed} of {p2p_trials} trials")
if moved > 0.02 * trials:
    fail = 1
    print(f"hum-free patients: onsets moved by 0.1 ms on {moved} of {trials} trials")
print(f"{len(pats)} patients (hum {min(hums):.0f}-{max(hums):.0f} µV): noise p2p within {100 * worst_noise:.1f}% "
      f"of hum-free, late within {100 * worst_late:.1f}%; hum-free: p2p changed on {changed}/{p2p_trials}, "
      f"onsets moved on {moved}/{trials} trials")
sys.exit(fail)
PY
