#!/usr/bin/env bash
# tests/e2e/crew_race.sh — the threads that share the detector's work (its
# crew, one helper for both jobs: a sweep's channel groups and the mains
# fit's preparation, then a trial's LSR channels) under ThreadSanitizer:
# tests/tools/crew_race.c built with SANITIZE=thread (make check builds it),
# no data race reported and exit status 0.  valgrind's helgrind cannot
# judge them (it does not see the C11 atomics a job's items are claimed
# and counted with).  Skipped in the ASan pass: one sanitizer at a time.
set -u
[ "${SANITIZE:-0}" = 1 ] && { echo "skipped under ASan"; exit 0; }
race=build/tsan/tools/crew_race
[ -x "$race" ] || { echo "FAIL: $race missing (make check builds it)"; exit 1; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$race" >"$log" 2>&1
rc=$?
cat "$log" | tail -40
[ "$rc" = 0 ] || { echo "FAIL: exit $rc"; exit 1; }
grep -q "ThreadSanitizer" "$log" && { echo "FAIL: ThreadSanitizer reported"; exit 1; }
exit 0
