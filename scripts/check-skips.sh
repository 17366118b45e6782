#!/usr/bin/env bash
# Fails on any test that ctest reports as skipped unless tests/allowed-skips.txt lists it.
#
# ctest counts a skipped test as passed, so a prerequisite that silently went missing would look
# green. Every skip the project accepts is written down, with its reason, in the allow-list.
# usage: scripts/check-skips.sh CTEST_OUTPUT_LOG [ALLOW_LIST]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$1"
allow="${2:-$repo/tests/allowed-skips.txt}"
[ -f "$log" ] || { echo "check-skips: no ctest log at $log" >&2; exit 2; }
[ -f "$allow" ] || { echo "check-skips: no allow-list at $allow" >&2; exit 2; }

# ctest's summary: "The following tests did not run:" then lines "<tab>NN - NAME (Skipped)", perhaps
# followed by the test's labels.
mapfile -t skipped < <(sed -n 's/^[[:space:]]*[0-9]\+ - \(.*\) (Skipped).*$/\1/p' "$log")
mapfile -t allowed < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$allow" | grep -v '^$' || true)

unlisted=0
for name in "${skipped[@]}"; do
    listed=0
    for entry in "${allowed[@]}"; do [ "$entry" = "$name" ] && listed=1 && break; done
    if [ "$listed" = 1 ]; then
        echo "check-skips: skipped, allowed by $(basename "$allow"): $name"
    else
        echo "check-skips: $name was skipped and is not in $allow; a prerequisite the project provides must not be skipped (see the test's output for its reason)" >&2
        unlisted=$((unlisted + 1))
    fi
done
[ "$unlisted" = 0 ] || { echo "check-skips: $unlisted unlisted skip(s)" >&2; exit 1; }
echo "check-skips: ${#skipped[@]} skipped, all listed"
