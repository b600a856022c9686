#!/usr/bin/env bash
# tests/e2e/hostile_layouts.sh — layout files that are empty, binary, 10 MB
# or hold 1000 panes stop lsrmon (headless too, which reads layouts) with
# exit 2 and a message "FILE:LINE: …" — never a crash or a long stall.
set -u
: "${LSRMON:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

: > "$tmp/empty.ini"
head -c 4096 /dev/urandom > "$tmp/binary.ini"
{ echo "[layout]"; echo "rows = *"; } > "$tmp/big.ini"
yes '; filler comment line, harmless in itself' | head -c $((10 << 20)) >> "$tmp/big.ini"
{ echo "[layout]"; echo "rows = *"
  for i in $(seq 1000); do printf '[pane p%d]\ntype = log\nrow = 1\n' "$i"; done; } > "$tmp/panes.ini"

for f in empty binary big panes; do
	rc=0
	timeout 20 "$LSRMON" --headless --duration 60 --layout "$tmp/$f.ini" > "$tmp/out" 2> "$tmp/err" || rc=$?
	[ "$rc" = 2 ] || fail "$f.ini: exit $rc, expected 2 ($(cat "$tmp/err"))"
	grep -qE "$f\.ini:[0-9]+: " "$tmp/err" || fail "$f.ini: message without file:line: $(cat "$tmp/err")"
	[ ! -s "$tmp/out" ] || fail "$f.ini: events were written before the refusal"
done
echo "hostile layouts: all refused with file:line"
