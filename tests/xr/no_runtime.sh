#!/usr/bin/env bash
# Without an OpenXR runtime vitrine-xr says so in one line and exits with code 2, at once.
# usage: no_runtime.sh VITRINE_XR
set -uo pipefail
out="$(XR_RUNTIME_JSON=/nonexistent/openxr_runtime.json timeout 30 "$1" /nonexistent/exhibit.json 2>&1)"
rc=$?
echo "$out" | grep '^xr:'
[ "$rc" -eq 2 ] || { echo "FAIL: exit code $rc, expected 2"; exit 1; }
echo "$out" | grep -q '^xr: no runtime: ' || { echo "FAIL: no 'xr: no runtime' line"; exit 1; }
echo PASS
