#!/usr/bin/env bash
# tests/e2e/recording_readers.sh — a recording made by the recorder (known
# signal, several annotations per record, late ones, texts over 40 bytes)
# reads identically through EDFlib, MNE-Python and biosig, as BDF+ and EDF+.
set -eu
cd "$(dirname "$0")"
py=/usr/bin/python3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for ext in bdf edf; do
	rec_synth "$dir/case.$ext" 6 > "$dir/$ext.log"
	[ "$(stat -c %a "$dir/case.$ext")" = 600 ] || { echo "mode of case.$ext is not 0600"; exit 1; }
	grep -q '^A .* lsrmon: long xxx' "$dir/$ext.log"
	$py readers.py "$dir/case.$ext" --synth "$dir/$ext.log"
	$py readers.py "$dir/case.$ext" --ref-edflib
done
# The check itself fails on a missing annotation.
{ cat "$dir/bdf.log"; echo "A 1.000000 not in the file"; } > "$dir/wrong.log"
if $py readers.py "$dir/case.bdf" --synth "$dir/wrong.log" > "$dir/out" 2>&1; then
	echo "readers.py accepted a missing annotation"; exit 1
fi
grep -q "not in the file" "$dir/out"
