#!/usr/bin/env bash
# Runs a command that must fail cleanly: a non-zero exit that is not a crash (no signal), a single
# "error:" line on stderr matching PATTERN, within a time limit, and no output file left behind.
# usage: expect_failure.sh PATTERN OUTPUT_FILE -- COMMAND...
set -u
pattern="$1"; output="$2"; shift 3
rm -f "$output"
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
[ -e "$output" ] && fail "a partial output file $output was left behind"
ls "$output".partial >/dev/null 2>&1 && fail "a temporary file $output.partial was left behind"
echo "ok (exit $status): $message"
