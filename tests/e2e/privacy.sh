#!/usr/bin/env bash
# tests/e2e/privacy.sh — security and privacy: no system()/popen()/exec of
# a shell in src/ or drivers/; recordings, captures and the log file are
# created 0600 whatever the umask (and made so when --force replaces one); the --patient text reaches the recording
# (where it belongs) but never the OSC datagrams, the JSON Lines or the log
# file; --osc-listen binds loopback unless told otherwise; an unwritable
# --record path exits 1 with a message naming it.
set -u
cd "$(dirname "$0")/../.."
: "${LSRMON:?}" "${LSR_BUILD:?}" "${LSR_TIME_FACTOR:=1}"
tmp=$(mktemp -d)
sock="lsrpriv$$"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
until_ok() {
	local n=$(( $1 * LSR_TIME_FACTOR )); shift
	for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.02; done
	return 1
}
umask 022

hits=$(grep -rnE '\b(system|popen|execl|execlp|execle|execv|execvp|execvpe)\(' src drivers || true)
[ -z "$hits" ] || fail "a shell or exec in the sources: $hits"

patient="Jane Q Doe 1954-03-07"
tag="JaneQDoe"   # what EDF+ makes of it may differ in blanks; the name must not leak at all

# An OSC receiver keeping every datagram.
python3 -u "$(dirname "$0")/lib/osc_keep.py" "$tmp/osc" &
pids+=($!)
until_ok 250 test -s "$tmp/osc.port" || fail "no OSC receiver"
port=$(cat "$tmp/osc.port")

# --osc-listen given only a port binds loopback.  (Run alone: liblo's
# sending socket for --osc is bound to the wildcard address, and nothing
# lsrmon reads.)
"$LSRMON" --headless --speed 1 --duration 60 --osc-listen 0 > "$tmp/l.jsonl" 2> "$tmp/l.err" &
lp=$!; pids+=($lp)
until_ok 250 grep -q '"type":"start"' "$tmp/l.jsonl" || fail "listener run never started"
socks=$(ss -u -l -n -p 2>/dev/null | grep "pid=$lp," || true)
[ -n "$socks" ] || fail "no listening UDP socket of lsrmon found"
if grep -vqE '(127\.0\.0\.1|\[::1\]):[0-9]+ ' <<<"$socks"; then
	fail "--osc-listen bound beyond loopback: $socks"
fi
kill -TERM $lp; wait $lp || fail "listener run exit $?"

# Headless with the patient, sweeps to OSC, JSON Lines on stdout.
"$LSRMON" --headless --speed max --duration 60 --patient "$patient" --record "$tmp/h.bdf" \
	--osc "osc.udp://127.0.0.1:$port/" --osc-sweeps > "$tmp/h.jsonl" 2> "$tmp/h.err" ||
	fail "headless run: $(cat "$tmp/h.err")"

# On screen, for the log file (XDG_STATE_HOME), with OSC as well.
tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp/state \
	sh -c 'umask 022; $LSRMON --speed max --pause-at 30 --patient \"$patient\" --record $tmp/s.bdf \
	--osc osc.udp://127.0.0.1:$port/; echo EXIT=\$?; sleep 30'"
paused() { tmux -L "$sock" capture-pane -p | grep -q 'Held at --pause-at'; }
until_ok 500 paused || fail "screen run never got going: $(tmux -L "$sock" capture-pane -p)"
tmux -L "$sock" send-keys d
sleep 0.3
tmux -L "$sock" send-keys q y
exited() { tmux -L "$sock" capture-pane -p | grep -q '^EXIT='; }
until_ok 250 exited || fail "screen run did not quit"
tmux -L "$sock" capture-pane -p | grep -q '^EXIT=0$' || fail "screen run: $(tmux -L "$sock" capture-pane -p | grep EXIT=)"
printf quit > "/dev/udp/127.0.0.1/$port"
sleep 0.2

[ -s "$tmp/osc" ] || fail "no OSC received"
log=$(find "$tmp/state" -type f -name '*.log' | head -1)
[ -n "$log" ] || fail "no log file under XDG_STATE_HOME"
for f in "$tmp/h.bdf" "$tmp/s.bdf" "$log"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f has mode $(stat -c %a "$f"), not 600"
done
# Positive control: the recordings do carry the patient field.
for f in "$tmp/h.bdf" "$tmp/s.bdf"; do
	head -c 88 "$f" | tr -d ' _' | grep -q "$tag" || fail "$f lacks the patient field"
done
for f in "$tmp/osc" "$tmp/h.jsonl" "$tmp/h.err" "$log"; do
	if tr -d ' _\0' < "$f" | grep -aq "$tag"; then fail "the patient text leaks into $f"; fi
	grep -aq "1954-03-07" "$f" && fail "the patient's date leaks into $f"
done

# Captures are 0600 too, and an unwritable --record path exits 1.
"$LSR_BUILD/tools/fakeamp" --link "$tmp/amp" --seconds 3 > /dev/null 2>&1 &
pids+=($!)
until_ok 250 test -e "$tmp/amp" || fail "fakeamp made no link"
"$LSRMON" --headless --port "$tmp/amp" --capture "$tmp/c.lsrb" > "$tmp/c.jsonl" 2> "$tmp/c.err" &
cp=$!; pids+=($cp)
until_ok 250 grep -q '"type":"stim"' "$tmp/c.jsonl" || fail "capture run never got a stimulus"
kill -TERM $cp; wait $cp || fail "capture run: exit $?: $(cat "$tmp/c.err")"
[ "$(stat -c %a "$tmp/c.lsrb")" = 600 ] || fail "capture mode $(stat -c %a "$tmp/c.lsrb")"
# --force replacing a world-readable file leaves it owner-only too.
: > "$tmp/old.bdf"; chmod 644 "$tmp/old.bdf"
"$LSRMON" --headless --duration 60 --force --record "$tmp/old.bdf" > /dev/null || fail "--force run"
[ "$(stat -c %a "$tmp/old.bdf")" = 600 ] || fail "--force kept mode $(stat -c %a "$tmp/old.bdf")"

mkdir "$tmp/ro"; chmod 500 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then unwritable="$tmp/ro/x.bdf"; else unwritable="$tmp/no-such-dir/x.bdf"; fi
rc=0; "$LSRMON" --headless --duration 60 --record "$unwritable" > /dev/null 2> "$tmp/u.err" || rc=$?
[ "$rc" = 1 ] || fail "unwritable --record: exit $rc, expected 1"
grep -qF "$unwritable" "$tmp/u.err" || fail "unwritable --record: message '$(cat "$tmp/u.err")'"
echo "privacy: no shell, modes 0600, patient only in the recordings, listener on loopback"
