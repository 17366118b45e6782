#!/usr/bin/env bash
# Runs the streaming benchmark: a >10M-triangle gallery of corpus scans, streamed LOD vs the finest
# level through the same per-cluster culling at 1280x720, and one artifact over a throttled link
# (our proxy in front of nginx: one shared pipe, a latency per request) vs downloading its GLB.
# Every row: at least 3 runs, interleaved, min / median / max; a failed run fails the script.
# usage: scripts/bench-stream.sh [--frames 12] [--runs 3] [--links 8:100,2:100] [--parts gallery,http]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# Only what the benchmark runs (the same configuration as scripts/build.sh), not every test.
bash scripts/setup.sh >&2
scripts/in-root.sh bash -c "cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON >/dev/null \
    && cmake --build build/release --target stream_bench" >&2
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-stream-bench}"
mkdir -p "$work"
bash scripts/bench-header.sh "bash scripts/bench-stream.sh${*:+ $*}"
scripts/in-root.sh build/release/bench/stream_bench --work "$work" "$@"
