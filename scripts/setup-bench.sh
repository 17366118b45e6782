#!/usr/bin/env bash
# Installs the benchmark peers into the build root: gltfpack and Assimp's command-line tool, both
# Debian packages (scripts/bench-packages.txt). Idempotent and cached.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup.sh
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/bench-packages.txt | grep -v '^$')
scripts/in-root.sh bash -c "
    set -e
    if ! dpkg -s ${packages[*]} >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages[*]} >/dev/null
    fi"
echo "bench peers ready: $(scripts/in-root.sh dpkg-query -W -f '${Package} ${Version}, ' ${packages[*]})" | sed 's/, $//'
