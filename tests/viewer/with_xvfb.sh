#!/usr/bin/env bash
# Runs a command on a private Xvfb display (1280x800, 24-bit, no TCP), then stops the server.
# Xvfb picks a free display number itself (-displayfd), so parallel tests never collide.
#   with_xvfb.sh COMMAND [ARGS...]
set -euo pipefail
command -v Xvfb >/dev/null || { echo "with_xvfb: Xvfb is not installed (package xvfb)" >&2; exit 1; }
scratch="$(mktemp -d)"
Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp -nolisten unix-abstract >"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 1 200); do
    [ -s "$scratch/display" ] && break
    kill -0 "$xvfb" 2>/dev/null || { echo "with_xvfb: Xvfb did not start:" >&2; cat "$scratch/xvfb.log" >&2; exit 1; }
    sleep 0.05
done
[ -s "$scratch/display" ] || { echo "with_xvfb: Xvfb gave no display number" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$scratch/display")"
mkdir -m 700 "$scratch/runtime"
export XDG_RUNTIME_DIR="$scratch/runtime"  # GLFW and the Vulkan WSI look for it
unset WAYLAND_DISPLAY
"$@"
