#!/usr/bin/env bash
# The converter needs no GPU: `vitrine` (import-scan, pack, collection, exhibit) must not load the
# Vulkan loader or any GPU library, so it starts on a cluster node without a driver. The renderer
# must (the negative control: the check sees Vulkan where it is).
# usage: links_no_vulkan.sh VITRINE VITRINE_RENDER
set -u
converter="$1"; renderer="$2"
gpu_libraries='libvulkan|libGL|libEGL|libgbm|libdrm|libX11|libglfw|libopenxr'
linked="$(ldd "$converter")" || { echo "FAIL: ldd $converter failed"; exit 1; }
if grep -Ei "$gpu_libraries" <<<"$linked"; then
    echo "FAIL: $converter links the GPU libraries above"; exit 1
fi
grep -q 'libvulkan' <<<"$(ldd "$renderer")" || { echo "FAIL: $renderer does not link libvulkan: the check cannot see it"; exit 1; }
"$converter" import-scan --help >/dev/null || { echo "FAIL: $converter does not start"; exit 1; }
echo "ok: $converter links no GPU library ($(wc -l <<<"$linked") libraries); $renderer links libvulkan"
