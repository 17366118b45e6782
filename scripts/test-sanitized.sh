#!/usr/bin/env bash
# The sanitizer leg: the CPU tests (file formats, truncation and corruption sweeps, adversarial
# corpus, maths) built with AddressSanitizer and UndefinedBehaviorSanitizer. Any report fails.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh build/sanitize -DVITRINE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
# Reports inside the importers' child processes cannot hide as import errors: the child hands its
# report to the parent, which aborts unless scripts/child-sanitizer.supp lists the library at fault.
status=0
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$repo/scripts/lsan.supp UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    scripts/in-root.sh ctest --test-dir build/sanitize --output-on-failure -j"$(nproc)" -L cpu "$@" 2>&1 \
    | tee build/sanitize/ctest.log || status=$?
bash scripts/check-skips.sh build/sanitize/ctest.log || status=1
exit "$status"
