#!/usr/bin/env bash
# tests/e2e/signal_alloc.sh — the signal path allocates nothing after
# lsr_signal_new (see tests/tools/signal_alloc.c).
set -eu
"$LSR_BUILD/tools/signal_alloc"
