#!/usr/bin/env bash
# tests/e2e/judge_alloc.sh — the judge allocates nothing per trial, with or
# without sanitizers (see tests/tools/judge_alloc.c).
set -eu
"$LSR_BUILD/tools/judge_alloc"
