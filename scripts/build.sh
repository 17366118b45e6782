#!/usr/bin/env bash
# Set up the Debian 13 build root (cached) and build Vitrine in it.
# usage: scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build_dir="${1:-build/release}"
shift || true
bash scripts/setup.sh
scripts/in-root.sh bash -c "cmake -S . -B '$build_dir' -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON $* >/dev/null \
    && cmake --build '$build_dir' -j\$(nproc)"
