#!/usr/bin/env bash
# tests/e2e/one_number_parser.sh — every text-to-number conversion in src/
# and drivers/ goes through src/number.c (src/number.h says why): no
# strto*, ato* or sscanf anywhere else.  Then on a copy with one planted
# strtol, which it must refuse.
set -eu
cd "$(dirname "$0")/../.."
# strtok and strtok_r split text, they convert nothing.
pattern='\b(strto(?!k)[a-z_]*|ato(?:i|l|ll|f|q)|v?sscanf)\s*\('
scan() {  # scan ROOT: prints each use outside src/number.c, fails if any
	! (cd "$1" && grep -rnP --include='*.[ch]' "$pattern" src drivers | grep -v '^src/number\.c:')
}
if ! scan .; then
	echo "text-to-number conversions outside src/number.c (use lsr_number_*)"; exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r src drivers "$tmp/"
sed -i '1i static long planted(const char *s) { return strtol(s, 0, 16); }' "$tmp/src/ui/layout.c"
if out=$(scan "$tmp"); then
	echo "the planted strtol was not found"; exit 1
fi
echo "planted: $out"
