#!/usr/bin/env bash
# tests/bench/screen.sh — the screen benchmark (not a test): runs
# screen_bench inside a 200x60 tmux for SECONDS streaming + SECONDS silent
# and prints frames per second and CPU.  Usage: tests/bench/screen.sh [SECONDS [LAYOUT]]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-10} layout=${2:-wide}
bench=${LSR_BUILD:-build/rel}/tools/screen_bench
[ -x "$bench" ] || { echo "build it first: make tests" >&2; exit 2; }
tmp=$(mktemp -d)
sock="lsrbench$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 60 \
	"env LANG=C.UTF-8 TERM=screen-256color XDG_STATE_HOME=$tmp $PWD/$bench $secs $layout $tmp/result"
for ((i = 0; i < (2 * secs + 20) * 10; i++)); do
	[ -s "$tmp/result" ] && break
	sleep 0.1
done
cat "$tmp/result"
