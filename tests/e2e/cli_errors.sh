#!/usr/bin/env bash
# Bad command lines exit 2 with a message naming the problem; the one-shot
# options answer and exit 0.
set -u
fail=0
expect() { # status needle args...
	local want=$1 needle=$2; shift 2
	local out rc
	out=$("$LSRMON" "$@" 2>&1 </dev/null); rc=$?
	if [ "$rc" != "$want" ]; then echo "lsrmon $*: exit $rc, wanted $want: $out"; fail=1; return; fi
	if ! grep -qF -- "$needle" <<<"$out"; then echo "lsrmon $*: '$out' does not mention '$needle'"; fail=1; fi
}
expect 2 "--bogus" --bogus
expect 2 "--speed" --speed 0
expect 2 "--speed" --speed abc
expect 2 "--scenario" --scenario nope
expect 2 "nope" --set nope=1
expect 2 "--driver 'nosuch'" --headless --driver nosuch
expect 2 "montage" --headless --montage 0:lsr,0:control
expect 0 "Usage: lsrmon" --help
expect 0 "lsrmon " --version
expect 0 "sim" --list-drivers
exit $fail
