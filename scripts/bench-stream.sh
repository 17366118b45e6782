#!/usr/bin/env bash
# Runs the streaming benchmark: a >10M-triangle gallery of corpus scans, streamed LOD vs full
# resolution at 1280x720, and one artifact from a throttled nginx vs downloading its GLB.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh build/release >&2
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-stream-bench}"
mkdir -p "$work"
scripts/in-root.sh build/release/bench/stream_bench --work "$work" "$@"
