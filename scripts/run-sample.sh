#!/usr/bin/env bash
# The main job on the bundled sample: render the CC0 saxophone scan (Smithsonian) to a PNG and
# print where it is. Sets up and builds everything first (cached after the first run).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh build/release >&2
mkdir -p out
scripts/in-root.sh build/release/tools/cli/vitrine render assets/saxophone.glb --out out/saxophone.png \
    --size 1280x960 "$@"
