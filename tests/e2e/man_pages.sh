#!/usr/bin/env bash
# The manual pages render without groff warnings, and lsrmon(1) documents
# every detector parameter the program reports in start.params, every state
# and every invalid-trial reason.
set -u
fail=0
for m in man/*.[157]; do
	warn=$(groff -k -ww -t -man -Tutf8 "$m" 2>&1 >/dev/null)
	[ -z "$warn" ] || { echo "$m: $warn"; fail=1; }
done
keys=$("$LSRMON" --headless --speed max --duration 60 --pause-at 1 |
	/usr/bin/python3 -c 'import json,sys; print("\n".join(json.loads(sys.stdin.readline())["params"]))')
[ -n "$keys" ] || { echo "no params in start"; exit 1; }
for k in $keys stimulation_failure no_stimulus not_detected no_direct saturated cautery spasm; do
	grep -q "$k" man/lsrmon.1 || { echo "lsrmon(1) does not mention $k"; fail=1; }
done
exit $fail
