#!/usr/bin/env bash
# The negative tests of expect_failure.sh: a command that leaves a pack temporary (.NAME.tmp-XXXXXX,
# the writer's real pattern), a partial output, crashes, or prints no error line must each fail
# the check; a clean failure must pass it.
set -u
check="$(dirname "${BASH_SOURCE[0]}")/expect_failure.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
failures=0
expect() {  # expect pass|fail DESCRIPTION -- COMMAND...
    local want="$1" what="$2"; shift 3
    if bash "$check" "broken" "$work/out" -- "$@" >"$work/log" 2>&1; then got=pass; else got=fail; fi
    if [ "$got" = "$want" ]; then echo "ok: $what ($got)"; else echo "WRONG: $what: expected $want, got $got"; cat "$work/log"; failures=$((failures + 1)); fi
}
expect pass "a clean failure" -- bash -c 'echo "error: x.vpk: broken" >&2; exit 1'
expect fail "a pack temporary left behind" -- bash -c 'touch "$0/.x.vpk.tmp-a1B2c3"; echo "error: x.vpk: broken" >&2; exit 1' "$work/out"
expect fail "a partial output left behind" -- bash -c 'touch "$0/x.vpk"; echo "error: x.vpk: broken" >&2; exit 1' "$work/out"
expect fail "a crash" -- bash -c 'echo "error: x.vpk: broken" >&2; kill -SEGV $$'
expect fail "no error line" -- bash -c 'echo "broken" >&2; exit 1'
expect fail "success" -- true
[ "$failures" = 0 ] || { echo "$failures case(s) judged wrongly"; exit 1; }
