#!/usr/bin/env bash
# The case report of every simulator scenario: the text report's facts
# against the simulator's ground truth (simtruth: final status and phase,
# time of loss, baselines within 5%, marks), and the PDF is a valid 1-2 page
# document whose first page is not blank.  A report over a recording states
# the live report's facts.  An existing report is never replaced without
# --force.
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
for scenario in classic premature persistent partial stim-failure noisy no-sync; do
	seed=21
	rm -f "$dir"/r.*
	"$LSRMON" --headless --scenario "$scenario" --seed $seed --duration 120 --report "$dir/r" >/dev/null ||
		{ echo "$scenario: lsrmon exit $?"; fail=1; continue; }
	simtruth --scenario "$scenario" --seed $seed --duration 120 >"$dir/truth.json" || { echo "simtruth failed"; exit 1; }
	pdfinfo "$dir/r.pdf" >"$dir/info.txt" 2>&1 || { echo "$scenario: pdfinfo rejects the PDF"; cat "$dir/info.txt"; fail=1; continue; }
	grep -Eq '^Pages: +[12]$' "$dir/info.txt" || { echo "$scenario: not 1-2 pages"; fail=1; }
	grep -Eq '^Page size: +595.* x 841.* pts \(A4\)' "$dir/info.txt" || { echo "$scenario: not A4"; fail=1; }
	pdftoppm -gray -r 30 -f 1 -l 1 -singlefile "$dir/r.pdf" "$dir/page" || { echo "$scenario: pdftoppm"; fail=1; continue; }
	/usr/bin/python3 - "$scenario" "$dir/r.txt" "$dir/truth.json" "$dir/page.pgm" <<'PY' || fail=1
import json, statistics, sys
scenario, txt, truth = sys.argv[1], open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
kv = {}
for line in txt.splitlines():
    k, _, v = line.partition(': ')
    kv.setdefault(k, v)
errors = []
def want(key, value):
    if kv.get(key) != value:
        errors.append(f"{key}: {kv.get(key)!r} != {value!r}")
for key in ('case_start', 'case_end', 'device', 'driver', 'rate_hz', 'montage', 'stim_branch',
            'final', 'final_phase', 'loss_t', 'loss_wall', 'loss_confirm_trials',
            'invalid_saturated', 'invalid_no_direct', 'invalid_cautery', 'invalid_spasm'):
    if key not in kv:
        errors.append(f"key {key} missing")
want('driver', 'sim')
want('rate_hz', str(truth['rate']))
want('final', truth['expected_final'])
want('final_phase', truth['expected_phase'] or 'none')
if truth['expected_final'] == 'disappeared':
    # the loss is dated at the first trial of the new condition: the first
    # stimulus after the true loss
    loss, true_loss = float(kv['loss_t']), truth['loss_t'][-1]
    after = [s['t'] for s in truth['stims'] if s['t'] >= true_loss - 1e-9]
    if not after or abs(loss - after[0]) > 0.01:
        errors.append(f"loss_t {loss} is not the first stimulus after the true loss {true_loss}")
    if not 3 <= int(kv['loss_confirm_trials']) <= 20:
        errors.append(f"loss_confirm_trials {kv['loss_confirm_trials']}")
else:
    want('loss_t', 'none')
# baselines: the median true LSR amplitude of the trials the baseline took
for ch in (0, 1):
    key = f'baseline_ch{ch}_p2p_uv'
    if key not in kv:
        continue
    n = int(kv[f'baseline_ch{ch}_trials'])
    clean = [s['lsr_uv'][ch] for s in truth['stims']
             if s['reaches_nerve'] and not s['contaminated'] and not s['dropout']][:n]
    true_b = statistics.median(clean)
    got = float(kv[key])
    if true_b > 50 and abs(got - true_b) > 0.05 * true_b:
        errors.append(f"{key} {got} vs true {true_b:.1f} (more than 5% off)")
marks = [l for l in txt.splitlines() if l.startswith('mark: ')]
if len(marks) != len(truth['marks']):
    errors.append(f"{len(marks)} mark lines, truth has {len(truth['marks'])}")
for line, m in zip(marks, truth['marks']):
    if not line.endswith('label=' + m['label']) or f" t={m['t']:.3f} " not in line:
        errors.append(f"mark line {line!r} vs {m}")
# page 1 rendered: a blank page is a single grey level
data = open(sys.argv[4], 'rb').read()
parts = data.split(maxsplit=4)
assert parts[0] == b'P5', parts[0]
pix = parts[4][-int(parts[1]) * int(parts[2]):]
mean = sum(pix) / len(pix)
var = sum((p - mean) ** 2 for p in pix) / len(pix)
if var < 100:
    errors.append(f"page 1 looks blank (variance {var:.1f})")
if errors:
    print(scenario + ": " + "; ".join(errors))
    sys.exit(1)
print(f"{scenario}: final {kv['final']} {kv['final_phase']}, loss_t {kv['loss_t']}")
PY
done
# A report over the recording of a case states the same facts as the one
# written live, wall-clock times included (the recording's header dates
# the replay); driver, device and the 16-character EDF labels aside: the
# roles stay.
rm -f "$dir"/live.* "$dir"/rep.* "$dir/case.bdf"
"$LSRMON" --headless --scenario premature --seed 3 --duration 90 -o "$dir/case.bdf" --report "$dir/live" >/dev/null &&
	"$LSRMON" --headless --replay "$dir/case.bdf" --report "$dir/rep" >/dev/null ||
	{ echo "record/replay with --report failed"; fail=1; }
facts() {
	grep -vE '^(case_end|duration_s|driver|device|source|note|stats_[a-z_]*):' "$1" |
		sed -E 's/ origin=[a-z]*//; s/^montage: .*/montage: '"$(sed -n 's/^montage: //p' "$1" | grep -oE ':(lsr|control|other)(,|$)' | tr -d '\n')"'/'
}
if ! diff <(facts "$dir/live.txt") <(facts "$dir/rep.txt") >"$dir/diff.txt"; then
	echo "report over the recording differs from the live one:"; cat "$dir/diff.txt"; fail=1
fi
grep -q '^final: ' "$dir/rep.txt" && grep -q '^mark: ' "$dir/rep.txt" || { echo "replayed report lacks facts"; fail=1; }

# Never replaced without --force; replaced with it.
"$LSRMON" --headless --duration 60 --report "$dir/r" >/dev/null 2>"$dir/err.txt"; rc=$?
[ $rc -eq 2 ] && grep -q -- "--report" "$dir/err.txt" || { echo "existing report: exit $rc"; cat "$dir/err.txt"; fail=1; }
"$LSRMON" --headless --duration 60 --report "$dir/r" --force >/dev/null || { echo "--force: exit $?"; fail=1; }
[ "$(stat -c %a "$dir/r.pdf")" = 600 ] || { echo "report mode $(stat -c %a "$dir/r.pdf")"; fail=1; }
exit $fail
