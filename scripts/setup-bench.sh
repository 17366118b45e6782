#!/usr/bin/env bash
# Installs the benchmark peers into the build root: Assimp's command-line tool (Debian) and
# gltfpack (npm package, pinned, run under Debian's node). Idempotent and cached.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup.sh
npm_prefix="${VITRINE_NPM_PREFIX:-/var/cache/vitrine/npm}"
gltfpack_version=1.3.0
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/bench-packages.txt | grep -v '^$')
mkdir -p "$npm_prefix"
VITRINE_BINDS="$npm_prefix" scripts/in-root.sh bash -c "
    set -e
    if ! dpkg -s ${packages[*]} >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages[*]} >/dev/null
    fi"
# gltfpack is pure JavaScript + WebAssembly, so it runs under the root's node wherever it was
# installed. Install it with the host's npm when there is one: the host's npm configuration (registry,
# certificate authorities) is the one known to reach the registry.
if [ ! -f "$npm_prefix/node_modules/gltfpack/package.json" ] || \
   ! grep -q "\"version\": \"$gltfpack_version\"" "$npm_prefix/node_modules/gltfpack/package.json"; then
    if command -v npm >/dev/null; then
        npm install --silent --no-audit --no-fund --prefix "$npm_prefix" "gltfpack@$gltfpack_version"
    else
        cp /etc/ssl/certs/ca-certificates.crt "$npm_prefix/host-ca.crt"
        VITRINE_BINDS="$npm_prefix" scripts/in-root.sh npm install --silent --no-audit --no-fund \
            --cafile "$npm_prefix/host-ca.crt" --prefix "$npm_prefix" "gltfpack@$gltfpack_version"
    fi
fi
echo "bench peers ready: assimp (Debian assimp-utils), gltfpack $gltfpack_version in $npm_prefix"
