#!/usr/bin/env bash
# Runs the conversion benchmark: our import-scan vs gltfpack and Assimp (Debian's native tools) on the
# same inputs (corpus scans and a subdivided real scan), printing a table and ratios. Installs the
# peers first. Every row: --runs (at least 3) runs interleaved between the tools, min / median / max;
# a failed run fails the script.
# usage: scripts/bench.sh [--sizes 1,2,3] [--runs 3]   (sizes: subdivision passes of zenobia, 4^n x 462k triangles)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup-bench.sh >&2
# Only what the benchmark runs (the same configuration as scripts/build.sh), not every test.
scripts/in-root.sh bash -c "cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON >/dev/null \
    && cmake --build build/release --target convert_bench vitrine" >&2
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-bench}"
mkdir -p "$work"
bash scripts/bench-header.sh "bash scripts/bench.sh${*:+ $*}"
scripts/in-root.sh build/release/bench/convert_bench \
    --vitrine build/release/tools/cli/vitrine --gltfpack gltfpack --work "$work" "$@"
