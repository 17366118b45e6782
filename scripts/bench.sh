#!/usr/bin/env bash
# Runs the conversion benchmark: our import-scan vs gltfpack and Assimp on the same inputs (corpus
# scans and a subdivided real scan), printing a table and ratios. Installs the peers first.
# usage: scripts/bench.sh [--sizes 1,2,3] [--runs 3]   (sizes: subdivision passes of zenobia, 4^n x 462k triangles)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup-bench.sh >&2
bash scripts/build.sh build/release >&2
npm_prefix="${VITRINE_NPM_PREFIX:-/var/cache/vitrine/npm}"
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-bench}"
mkdir -p "$work"
VITRINE_BINDS="$npm_prefix" scripts/in-root.sh build/release/bench/convert_bench \
    --vitrine build/release/tools/cli/vitrine --gltfpack "$npm_prefix/node_modules/gltfpack/cli.js" --work "$work" "$@"
