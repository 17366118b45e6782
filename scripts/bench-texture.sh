#!/usr/bin/env bash
# Runs the texture wire benchmark (bench/texture_bench.cpp): per real scan texture and candidate codec,
# bytes on the wire, decode + block-compress time and PSNR, against today's raw BC blocks in the same
# run. Installs the benchmark packages first (libavif-dev for the AVIF candidate).
# usage: scripts/bench-texture.sh [--runs N] [SCAN...]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup-bench.sh >&2
scripts/in-root.sh bash -c "cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON >/dev/null \
    && cmake --build build/release --target texture_bench" >&2
bash scripts/bench-header.sh "bash scripts/bench-texture.sh${*:+ $*}"
scripts/in-root.sh build/release/bench/texture_bench "$@"
