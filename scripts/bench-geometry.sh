#!/usr/bin/env bash
# Runs the geometry wire benchmark: converts corpus scans with `vitrine import-scan` (default
# settings), then compares the pack's own geometry coder against meshoptimizer 0.22's codecs on the
# same pages, and the whole pack against each scan's published GLB (Draco where it is Draco).
# usage: scripts/bench-geometry.sh [--runs 3]
#   VITRINE_BUILD_DIR: an existing RelWithDebInfo build folder to use (default build/release)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup.sh >&2
build="${VITRINE_BUILD_DIR:-build/release}"
scripts/in-root.sh bash -c "cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON >/dev/null \
    && cmake --build $build --target geometry_bench vitrine" >&2
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-geometry-bench}"
mkdir -p "$work"
corpus="$(cd .. && pwd)/shared/corpus/meshes"
scans=(
    "zenobia=threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb"
    "eagle=threedscans-polygonjs/models/resources/threedscans.com/eagle.glb"
    "beethoven=threedscans-polygonjs/models/resources/threedscans.com/beethoven.glb"
    "einstein=threedscans-polygonjs/models/resources/threedscans.com/einstein.glb"
    "whale_mandible=iiif3d-assets/assets/whale/whale_mandible_draco.glb"
    "saxophone=iiif3d-assets/assets/saxophone/saxophone_draco.glb"
)
specs=()
for scan in "${scans[@]}"; do
    name="${scan%%=*}" glb="$corpus/${scan#*=}"
    scripts/in-root.sh "$build/tools/cli/vitrine" import-scan "$glb" -o "$work/$name.vpk" >/dev/null
    specs+=("$name=$work/$name.vpk,$glb")
done
bash scripts/bench-header.sh "bash scripts/bench-geometry.sh${*:+ $*}"
scripts/in-root.sh "$build/bench/geometry_bench" "$@" "${specs[@]}"
