#!/usr/bin/env bash
# The negative test of scripts/check-skips.sh on a ctest summary in ctest's own format: an unlisted
# skip fails, a listed one passes, and a run with no skips passes.
set -u
check="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
printf '# reason\nSuite.Allowed\n' >"$work/allow.txt"
summary() { printf '100%% tests passed, 0 tests failed out of 3\n\nThe following tests did not run:\n%s\n' "$1"; }
failures=0
judge() {  # judge pass|fail DESCRIPTION LOG_TEXT
    printf '%s\n' "$3" >"$work/ctest.log"
    if bash "$check" "$work/ctest.log" "$work/allow.txt" >"$work/out" 2>&1; then got=pass; else got=fail; fi
    if [ "$got" = "$1" ]; then echo "ok: $2 ($got)"; else echo "WRONG: $2: expected $1, got $got"; cat "$work/out"; failures=$((failures + 1)); fi
}
judge fail "an unlisted skip" "$(summary $'\t 12 - Suite.Prerequisite (Skipped)')"
judge pass "a listed skip" "$(summary $'\t  7 - Suite.Allowed (Skipped)')"
judge fail "a listed and an unlisted skip" "$(summary $'\t  7 - Suite.Allowed (Skipped)\n\t  9 - cli.something (Skipped)')"
judge fail "an unlisted skip followed by its labels" "$(summary $'\t 12 - Suite.Prerequisite (Skipped)        cpu gpu')"
judge pass "no skips" "100% tests passed, 0 tests failed out of 3"
judge pass "a disabled test is not a skip" "$(summary $'\t 20 - Suite.DISABLED_Manual (Disabled)')"
[ "$failures" = 0 ] || { echo "$failures case(s) judged wrongly"; exit 1; }
