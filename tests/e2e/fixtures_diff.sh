#!/usr/bin/env bash
# tests/e2e/fixtures_diff.sh — the fixture checker fails, with a readable
# diff, when one expected event is changed: a stimulus time, the state
# sequence, a loss's phase, a counter, a gap, an invalid trial, a mark; a
# missing or an extra line shows as such rather than shifting every later
# pair; a bad expected file is refused (exit 2).  Copies of committed expected
# files are changed in a scratch directory.
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${LSRMON:?}" "${LSR_BUILD:?}"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# check NAME SED-SCRIPT TEXT...: the changed copy of fixtures/NAME.expect
# fails (exit 1) and the output holds every TEXT line.
check() {
	local name=$1 script=$2; shift 2
	sed "$script" "fixtures/$name.expect" >"$dir/$name.expect"
	cmp -s "fixtures/$name.expect" "$dir/$name.expect" && fail "$script changed nothing"
	/usr/bin/python3 tests/e2e/fixcmp.py "$dir/$name.expect" --lsrmon "$LSRMON" \
		--dir fixtures --build-dir "$LSR_BUILD/fixtures" >"$dir/out" 2>&1
	local rc=$?
	[ "$rc" = 1 ] || { cat "$dir/out"; fail "$name with '$script': exit $rc, want 1"; }
	for want in "$@"; do
		grep -qF -- "$want" "$dir/out" || { cat "$dir/out"; fail "$name: no '$want' in the diff"; }
	done
	echo "ok: $name '$script' -> $(head -1 "$dir/out" | sed 's/.*: //')"
}

# the unchanged copy passes: the failures below come from the changes
cp fixtures/damaged.expect "$dir/damaged.expect"
/usr/bin/python3 tests/e2e/fixcmp.py "$dir/damaged.expect" --lsrmon "$LSRMON" \
	--dir fixtures --build-dir "$LSR_BUILD/fixtures" || fail "an unchanged copy fails"

check damaged 's/^stim 7 7.2545$/stim 7 7.2555/' '1 mismatch' 'line 18: stim' \
	'expected: stim 7 7.2555' 'got:      stim 7 7.2545'
check damaged 's/^stat crc_errors 2$/stat crc_errors 3/' 'stat crc_errors' 'expected: 3' 'got:      2'
check damaged 's/^gap 8.0000 100$/gap 8.0000 150/' 'expected: gap 8.0000 150' 'got:      gap 8.0000 100'
check damaged '/^stim 10 /d' '1 mismatch' 'unexpected stim (after line' 'got:      stim 10 10.2545'
check premature 's/^states .*/states acquiring present disappeared/' \
	'expected: acquiring present disappeared' \
	'got:      acquiring present reduced disappeared present reduced disappeared'
check premature 's/^loss 24.3518 premature/loss 24.3518 after_decompression/' \
	'expected: loss 24.3518 after_decompression' 'got:      loss 24.3518 premature'
check premature '$a stim 61 60.5000' 'expected: stim 61 60.5000' 'got:      (nothing)'
check wave-obci 's/^final indeterminate$/final persistent/' 'final' 'got:      indeterminate'
check stim-failure '/^invalid 29 no_direct$/d' 'unexpected invalid (after line' 'got:      invalid 29 no_direct'
check stim-failure 's/^invalid 30 no_direct$/invalid 30 spasm/' 'expected: invalid 30 spasm' \
	'got:      invalid 30 no_direct'
check noisy '$a invalid 10 any' 'expected: invalid 10 any' 'got:      (nothing)'
check noisy 's/^valid_others yes$/invalid 10 any/' 'expected: invalid 10 any' \
	'got:      (a valid trial)'
check noisy 's/^invalid 28 cautery$/invalid 28 spasm/' 'expected: invalid 28 spasm' \
	'got:      invalid 28 cautery'
check wave-lsrb 's/^args --mark 5.5:Decompression$/args --mark 5.5:Dura\\ open/' \
	'expected: mark 5.5000 Decompression' 'got:      mark 5.5000 Dura open'
check crashed 's/^exit 2$/exit 0/' 'exit status' 'expected: 0' '--repair'

# A bad expected file is an error of its own (exit 2), never a silent pass:
# an unknown key (a typo would otherwise check nothing), a missing fixture.
refused() {
	local want=$1 rc
	/usr/bin/python3 tests/e2e/fixcmp.py "$dir/bad.expect" --lsrmon "$LSRMON" \
		--dir fixtures --build-dir "$dir/nowhere" >"$dir/out" 2>&1
	rc=$?
	[ "$rc" = 2 ] || { cat "$dir/out"; fail "bad expected file: exit $rc, want 2"; }
	grep -qF -- "$want" "$dir/out" || { cat "$dir/out"; fail "no '$want' in: $(cat "$dir/out")"; }
	echo "ok: refused: $(cat "$dir/out")"
}
sed 's/^stims /stimz /' fixtures/damaged.expect >"$dir/bad.expect"
refused "unknown key 'stimz'"
cp fixtures/noisy.expect "$dir/bad.expect"
refused "run make fixtures"
