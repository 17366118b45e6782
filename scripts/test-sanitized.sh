#!/usr/bin/env bash
# The sanitizer leg: the CPU tests (file formats, truncation and corruption sweeps, adversarial
# corpus, maths) built with AddressSanitizer and UndefinedBehaviorSanitizer. Any report fails.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh build/sanitize -DVITRINE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$repo/scripts/lsan.supp UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    scripts/in-root.sh ctest --test-dir build/sanitize --output-on-failure -j"$(nproc)" -L cpu "$@"
