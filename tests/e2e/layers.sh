#!/usr/bin/env bash
# tests/e2e/layers.sh — the layer check (src/README, tests/tools/layercheck.py)
# on the tree, then on copies with one planted violation each, which it must
# refuse: a signal file reading a screen header, a judge file reading
# curses.h, and an object of the pure core calling fprintf.
set -eu
cd "$(dirname "$0")/../.."
: "${LSR_BUILD:?}"
flags=$(make -s --no-print-directory show-cflags SANITIZE="${SANITIZE:-0}" | sed 's/-MMD -MP//')
check=tests/tools/layercheck.py
# shellcheck disable=SC2086
python3 $check . cc $flags -- "$LSR_BUILD"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plant() {  # plant NAME FILE LINE: a copy of src/ and drivers/ with LINE on top of FILE
	rm -rf "$tmp/$1"; mkdir -p "$tmp/$1"; cp -r src drivers "$tmp/$1/"
	sed -i "1i $3" "$tmp/$1/$2"
}
plant ui src/signal/measure.c '#include "model.h"'
plant curses src/judge/judge.c '#include <curses.h>'
for t in ui curses; do
	# shellcheck disable=SC2086
	if out=$(python3 $check "$tmp/$t" cc $flags --); then
		echo "planted violation '$t' was not found"; exit 1
	fi
	echo "planted '$t': $out" | head -2
done
printf '#include <stdio.h>\nvoid lsr_planted(void) { fprintf(stderr, "x"); }\n' > "$tmp/io.c"
mkdir -p "$tmp/obj/src/signal"
# shellcheck disable=SC2086
cc $flags -c -o "$tmp/obj/src/signal/planted.o" "$tmp/io.c"
if out=$(python3 $check . cc $flags -- "$LSR_BUILD" "$tmp/obj/src/signal/planted.o"); then
	echo "planted fprintf in the pure core was not found"; exit 1
fi
echo "planted 'fprintf': $out" | head -2
