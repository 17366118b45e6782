#!/usr/bin/env bash
# The real vitrine-viewer in a window, driven only by real X input events from xdotool (run it under
# with_xvfb.sh, which gives it a private display). No --script: the viewer runs on its real clock, as
# for a visitor. What it prints is checked:
#   left clicks on the whale cranium (start pose), until its scan has streamed in -> "selected: whale-cranium"
#   Escape, then W held down in steps    -> "walk: stopped at (x, y, z)" on each release: the first step
#                                           went straight forward (-z) from the start, a later one did not
#                                           move at all (the whale mandible's stand stopped it)
#   T, then N                            -> "tour: stop 1 of 5", then "tour: stop 2 of 5"
#   F12                                  -> "screenshot: PATH", and PATH is a PNG
#   Escape, W                            -> a walk line again (in the tour W does nothing)
# Then the window is closed as a window manager would (WM_DELETE_WINDOW), and the viewer must exit 0
# by itself: validation layers are on, and any validation message makes it exit non-zero.
#   live_input.sh VIEWER EXHIBIT X11_CLOSE_WINDOW WORKDIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: live_input.sh VIEWER EXHIBIT X11_CLOSE_WINDOW WORKDIR" >&2; exit 2; }
viewer=$(realpath "$1") exhibit=$(realpath "$2") close_window=$(realpath "$3") work=$4
command -v xdotool >/dev/null || { echo "live_input: xdotool is not installed (package xdotool)" >&2; exit 1; }
[ -n "${DISPLAY:-}" ] || { echo "live_input: no DISPLAY (run it under with_xvfb.sh)" >&2; exit 1; }
[ -f "$exhibit" ] || { echo "live_input: $exhibit is missing (build the sample_gallery target)" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cd "$work"
start=$SECONDS
VITRINE_NO_AUDIO=1 timeout 280 "$viewer" "$exhibit" --size 640x400 --validation >stdout.txt 2>stderr.txt &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

fail() {
    echo "live_input: FAIL: $*" >&2
    echo "--- viewer stdout" >&2; cat stdout.txt >&2
    echo "--- viewer stderr" >&2; cat stderr.txt >&2
    exit 1
}
# wait_lines PATTERN COUNT SECONDS: until stdout has COUNT lines matching PATTERN (extended regex).
wait_lines() {
    local deadline=$((SECONDS + $3))
    until [ "$(grep -cE "$1" stdout.txt || true)" -ge "$2" ]; do
        kill -0 "$pid" 2>/dev/null || fail "the viewer exited while waiting for '$1'"
        [ $SECONDS -lt $deadline ] || fail "no '$1' (${2}x) within $3 s"
        sleep 0.1
    done
}
x() { timeout 20 xdotool "$@"; }
walks() { grep -cE '^walk: stopped at ' stdout.txt || true; }
last_walk() { grep -E '^walk: stopped at ' stdout.txt | tail -n1 | sed -E 's/^walk: stopped at \(([^,]+), ([^,]+), ([^)]+)\)$/\1 \2 \3/'; }
# hold_w SECONDS: W down, then up; waits for the release's "walk:" line and sets wx wy wz to it.
hold_w() {
    local before
    before=$(walks)
    x keydown w
    sleep "$1"
    x keyup w
    wait_lines '^walk: stopped at ' $((before + 1)) 20
    read -r wx wy wz <<<"$(last_walk)"
}

window=$(timeout 60 xdotool search --sync --onlyvisible --name '^Vitrine' | head -n1) || fail "no viewer window"
[ -n "$window" ] || fail "no viewer window"
echo "live_input: window $window after $((SECONDS - start)) s"

# Left clicks on the whale cranium, left in the view from the exhibit's start pose (at 640x400), until
# one selects it: before its scan has streamed in, a click finds nothing there. The button is held
# over a few frames, since the viewer reads its state once a frame.
x mousemove --window "$window" 104 200
selections() { grep -cE '^selected: ' stdout.txt || true; }
for attempt in $(seq 1 40); do
    before=$(selections)
    x mousedown 1
    sleep 0.3
    x mouseup 1
    wait_lines '^selected: ' $((before + 1)) 20
    grep -qx 'selected: whale-cranium' stdout.txt && break
    sleep 0.5
done
grep -qx 'selected: whale-cranium' stdout.txt || fail "no click selected the whale cranium"
echo "live_input: the whale cranium selected by click $attempt, after $((SECONDS - start)) s"

# Back to walking, then W held in steps of 0.8 s until a step no longer moves: the start pose
# (3.5, 1.6, 4.6) looks along -z at the whale mandible's stand (centre z = 1.6).
x key Escape
hold_w 0.8
echo "live_input: first walk step ended at ($wx, $wy, $wz)"
awk -v x="$wx" -v y="$wy" -v z="$wz" 'BEGIN { exit !(x > 3.49 && x < 3.51 && y > 1.59 && y < 1.61 && z < 4.59) }' \
    || fail "W did not walk straight forward from (3.5, 1.6, 4.6)"
# Bounded by time, not steps: on a slow machine a frame's step is capped, so a hold walks less.
blocked=0 px=$wx pz=$wz walk_deadline=$((SECONDS + 90))
while [ $SECONDS -lt $walk_deadline ]; do
    hold_w 0.8
    if awk -v a="$px" -v b="$pz" -v c="$wx" -v d="$wz" 'BEGIN { exit !((a - c) ^ 2 + (b - d) ^ 2 < 1e-6) }'; then
        blocked=1
        break
    fi
    px=$wx pz=$wz
done
[ "$blocked" = 1 ] || fail "W never stopped moving (last at $px, $pz)"
echo "live_input: the walk was stopped at ($wx, $wy, $wz)"
awk -v x="$wx" -v z="$wz" 'BEGIN { exit !(x > 3.49 && x < 3.51 && z > 1.6 && z < 4.0) }' \
    || fail "the walk stopped at ($wx, $wz), not in front of the mandible's stand"

# The guided tour: T goes to the first stop, N to the next.
x key t
wait_lines '^tour: stop 1 of 5' 1 60
x key n
wait_lines '^tour: stop 2 of 5' 1 60

# F12: a screenshot of the window.
x key F12
wait_lines '^screenshot: ' 1 30
shot=$(grep -E '^screenshot: ' stdout.txt | head -n1 | sed 's/^screenshot: //')
[ -f "$shot" ] || fail "F12 printed $shot, which does not exist"
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$shot is not a PNG"

# Escape leaves the tour: W walks again (in the tour it does nothing).
x key Escape
hold_w 0.5
echo "live_input: walking again after the tour, at ($wx, $wy, $wz)"

# Closed like a window manager closes it; the viewer shuts down by itself.
"$close_window" "$window" || fail "could not ask the window to close"
deadline=$((SECONDS + 60))
while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "the viewer did not exit within 60 s of closing its window"
    sleep 0.1
done
code=0
wait "$pid" || code=$?
[ "$code" = 0 ] || fail "the viewer exited with $code"
if grep -qi 'validation' stderr.txt; then fail "validation messages"; fi
echo "live_input: passed in $((SECONDS - start)) s"
