# tests/e2e/lib/serial.bash — shared helpers of the serial end-to-end tests:
# a scratch directory, waiting on conditions, time-stamped output.
set -u
: "${LSRMON:?}" "${LSR_BUILD:?}"
TF=${LSR_TIME_FACTOR:-1}
FAKEAMP=$LSR_BUILD/tools/fakeamp
WORK=$(mktemp -d /tmp/lsr-e2e-XXXXXX)
PIDS=()

# LSR_E2E_KEEP=DIR keeps the scratch files there for a post-mortem.
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${LSR_E2E_KEEP:-}" ] && cp -r "$WORK" "$LSR_E2E_KEEP"
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds.
wait_for() {
	local limit=$1; shift
	local end=$(( ${EPOCHREALTIME/./} + ${limit%.*} * 1000000 ))
	until "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# stamp FILE: copies stdin to FILE, each line prefixed by the wall time.
stamp() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done >"$1"
}

# count PATTERN FILE: lines of FILE matching the fixed string PATTERN.
count() { grep -cF -- "$1" "$2" 2>/dev/null || true; }

# at_least N PATTERN FILE: FILE has N or more lines holding PATTERN.
at_least() { [ "$(count "$2" "$3")" -ge "$1" ]; }

# cpu_ticks PID: utime + stime of PID in clock ticks, from /proc.
cpu_ticks() {
	local stat; stat=$(cat "/proc/$1/stat") || return 1
	stat=${stat##*) }
	set -- $stat
	echo $(( ${12} + ${13} ))
}
