#!/usr/bin/env bash
# tests/e2e/soak_short.sh — the soak (tests/soak.sh) over 30 simulated
# minutes: memory and descriptors bounded, every stimulus of the truth
# counted in the events, at OSC and in a recording of the right length.
set -eu
exec bash "$(dirname "$0")/../soak.sh" 1800
