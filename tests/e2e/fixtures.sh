#!/usr/bin/env bash
# tests/e2e/fixtures.sh — plays every fixture (fixtures/*.expect) headless and
# compares lsrmon's events with the expected file, which was written from
# ground truth (see fixtures/README); prints each mismatch, expected line
# against what came.  Generated fixtures come from `make fixtures`, which
# `make check` runs first.
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${LSRMON:?}" "${LSR_BUILD:?}"
n=0 bad=0
for e in fixtures/*.expect; do
	n=$((n + 1))
	/usr/bin/python3 tests/e2e/fixcmp.py "$e" --lsrmon "$LSRMON" --dir fixtures \
		--build-dir "$LSR_BUILD/fixtures" || bad=$((bad + 1))
done
[ "$n" -ge 13 ] || { echo "only $n fixtures found"; exit 1; }
echo "$((n - bad)) of $n fixtures match"
[ "$bad" -eq 0 ]
