#!/usr/bin/env bash
# tests/e2e/evaluate_sample.sh — `make evaluate` on a small seeded sample
# (30 patients per course, 6 under the sanitizers; every case 300 s): the three deliberately wrong
# detectors must each fail the targets (proof that the harness can fail),
# each on the target its error breaks by construction, and lsrmon's own
# detector must meet every one of them (under the sanitizers, with 6
# patients, the never-wrong ones: no false loss, no verified false cure,
# no patient without an LSR judged); the same seed gives the same table
# byte for byte.
set -eu
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
EVAL=tests/eval/evaluate.py
run() { /usr/bin/python3 "$EVAL" --short --lsrmon "$LSRMON" --simtruth "$LSR_BUILD/tools/simtruth" "$@"; }

# Under ASan+UBSan (SANITIZE=1) lsrmon runs several times slower: there
# the sample is 6 patients per course, still every course and every wrong
# detector, for memory safety across patients as different as the
# population's.
patients=30
[ "${SANITIZE:-0}" = 1 ] && patients=6
run --patients "$patients" --seed 7 >"$dir/table.md"
cat "$dir/table.md"
targets=all
[ "${SANITIZE:-0}" = 1 ] && targets=never-wrong
/usr/bin/python3 - "$dir/table.md" "$targets" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
# Each wrong detector, and a target it must break: always present never
# calls a cure and judges patients without an LSR; disappeared at every
# Decompression mark calls a loss while the LSR is there, and calls lowered
# intensity a verified cure; the single-sweep rule calls noise a loss.
must = {'always-present': ['cure_called_pct', 'no_lsr_judged'],
        'decompression': ['false_disappeared', 'verified_false_cure'],
        'single-sweep': ['false_disappeared']}
for det, metrics in must.items():
    m = re.search(rf'^{det}: (\d+) rows PASS, (\d+) rows FAIL$', text, re.M)
    assert m, f'no summary for {det}'
    assert int(m.group(2)) > 0, f'{det} passes every target'
    section = text.split(f'### {det}\n', 1)[1].split('\n### ', 1)[0]
    for metric in metrics:
        assert re.search(rf'FAIL \([^)]*\b{metric}\b', section), f'{det} does not fail {metric}'
m = re.search(r'^lsrmon: (\d+) rows PASS, (\d+) rows FAIL$', text, re.M)
assert m, 'no lsrmon table'
section = text.split('### lsrmon\n', 1)[1].split('\n### ', 1)[0]
if sys.argv[2] == 'all':
    assert int(m.group(2)) == 0, 'lsrmon fails targets:\n' + '\n'.join(
        l for l in section.splitlines() if 'FAIL' in l)
else:
    for metric in ('false_disappeared', 'verified_false_cure', 'no_lsr_judged'):
        assert not re.search(rf'FAIL \([^)]*\b{metric}\b', section), f'lsrmon fails {metric}'
PY

# Same seed, same table; another seed, another one.
run --patients 2 --seed 3 --detectors lsrmon,single-sweep >"$dir/a.md"
run --patients 2 --seed 3 --detectors lsrmon,single-sweep --jobs 1 >"$dir/b.md"
run --patients 2 --seed 4 --detectors lsrmon,single-sweep >"$dir/c.md"
cmp "$dir/a.md" "$dir/b.md"
! cmp -s "$dir/a.md" "$dir/c.md"

# Bad targets are refused with the file and line.
printf 'false_disappeared * * =< 0\n' >"$dir/bad.txt"
if run --patients 1 --targets "$dir/bad.txt" >/dev/null 2>"$dir/err"; then
	echo "bad targets accepted"; exit 1
fi
grep -q "bad.txt:1:" "$dir/err"
echo ok
