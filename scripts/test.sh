#!/usr/bin/env bash
# Every test: sets up the build root (cached), builds with warnings as errors, runs the whole ctest
# suite (CPU, GPU on lavapipe with Vulkan validation, command-line end-to-end tests).
# Pass ctest options through, e.g. `scripts/test.sh -L cpu` for the fast subset.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
corpus="$(cd "$repo/.." && pwd)/shared/corpus"
if [ ! -d "$corpus" ]; then
    echo "test: the shared corpus is missing at $corpus; the corpus tests need it (see README)" >&2
    exit 1
fi
bash scripts/build.sh build/test
# ctest counts a skip as a pass: check-skips.sh fails on any skip tests/allowed-skips.txt does not list.
status=0
scripts/in-root.sh ctest --test-dir build/test --output-on-failure -j"$(nproc)" --timeout 600 "$@" 2>&1 \
    | tee build/test/ctest.log || status=$?
bash scripts/check-skips.sh build/test/ctest.log || status=1
exit "$status"
