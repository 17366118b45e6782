#!/usr/bin/env bash
# Runs a command that must fail cleanly: a non-zero exit that is not a crash (no signal), a single
# "error:" line on stderr matching PATTERN, within a time limit, and nothing left behind in
# OUTPUT_DIR: no output, no temporary of any name (packs are written as .NAME.tmp-XXXXXX and
# renamed; a failed write must remove it). OUTPUT_DIR belongs to this test alone: it is emptied
# first, and the command writes its outputs there.
# usage: expect_failure.sh PATTERN OUTPUT_DIR -- COMMAND...
set -u
pattern="$1"; output_dir="$2"; shift 3
rm -rf "$output_dir" && mkdir -p "$output_dir" || { echo "FAIL: cannot make $output_dir"; exit 1; }
stderr_file="$(mktemp)"
timeout 120 "$@" >/dev/null 2>"$stderr_file"
status=$?
message="$(cat "$stderr_file")"; rm -f "$stderr_file"
fail() { echo "FAIL: $*"; echo "--- stderr ---"; echo "$message"; exit 1; }
[ $status -eq 0 ] && fail "the command succeeded"
[ $status -eq 124 ] && fail "the command hung (killed after 120 s)"
[ $status -ge 128 ] && fail "the command crashed (exit $status = signal $((status - 128)))"
errors="$(grep -c '^error:' <<<"$message")"
[ "$errors" -eq 1 ] || fail "expected exactly one 'error:' line, got $errors"
grep -Eq -- "$pattern" <<<"$message" || fail "stderr does not match /$pattern/"
left="$(cd "$output_dir" && find . -mindepth 1 | sort | tr '\n' ' ')"
[ -z "$left" ] && rmdir "$output_dir"
[ -z "$left" ] || fail "the failed command left files behind in $output_dir: $left"
echo "ok (exit $status): $message"
