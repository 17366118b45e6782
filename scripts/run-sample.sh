#!/usr/bin/env bash
# The main job on the bundled sample: open the sample gallery (five open-access museum scans in two
# rooms) in the desktop viewer. With a display (DISPLAY set) a window opens: walk with WASD and the
# mouse, press T for the guided tour. Without one (CI, ssh) the viewer renders the tour's stops to
# out/tour/stop-NN.png and prints where they are. Sets up and builds everything first (cached after
# the first run). Extra arguments go to the viewer (e.g. --language zh, --screenshot shot.png).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/build.sh build/release >&2
mkdir -p out
# The build root sees the repository and /tmp (where the X socket lives); give it the X cookie too.
if [ -n "${DISPLAY:-}" ]; then
    : "${XAUTHORITY:=$HOME/.Xauthority}"
    if [ -f "$XAUTHORITY" ]; then
        export XAUTHORITY
        export VITRINE_BINDS="${VITRINE_BINDS:-} $(dirname "$XAUTHORITY")"
    fi
fi
exec scripts/in-root.sh build/release/viewer/vitrine-viewer build/release/sample-gallery/exhibit.json \
    --output out/tour "$@"
