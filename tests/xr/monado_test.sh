#!/usr/bin/env bash
# Runs vitrine-xr against a private, headless Monado (null compositor, simulated HMD, lavapipe) and
# checks what a headset visitor would get. One case per call:
#
#   session       320+ frames with two projection views, FOCUSED reached, both eyes captured and
#                 compared (goldens, parallax) by xr_capture_tests, no Vulkan validation problems, the
#                 OpenXR core validation layer silent, a clean exit through the runtime's STOPPING/EXITING
#   runtime-exit  (seated: LOCAL space, eye-height calibration) monado-service shuts down in an orderly way mid-session (its stdin closes): the app
#                 leaves cleanly within a bounded time
#   killed        monado-service is SIGKILLed mid-session: the app leaves cleanly within a bounded time
#   retry         with --retry: killed, restarted, the app comes back to FOCUSED; killed again, it gives up
#   panel         a label panel in Chinese drawn in the scene (no quad layers): in the captured eyes
#   tour          the guided tour's first stop and its first caption cue (Chinese) in the eyes
#   narration     the tour's narration in Chinese: stop 1's file opened with a length, its captions coming up
#                 in step with the narration's clock, its end moving on to stop 2; paused and stopped at exit
#   interact      scripted controllers: teleport, snap turn, grab/turn/return, point to open a label; then,
#                 in a second session, the guided tour's controls (previous, next, pause, resume) by
#                 buttons and by pointing at the tour panel
#   ar            AR mode (one artifact on a plinth, no room): frames submitted, eyes captured and
#                 compared with their goldens
#
# usage: monado_test.sh CASE VITRINE_XR EXHIBIT OUT_DIR CAPTURE_TEST
set -euo pipefail
case_name="$1" app="$2" exhibit="$3" out="$4" capture_test="$5"

rm -rf "$out"
mkdir -p "$out"
runtime_dir="$(mktemp -d /tmp/vitrine-xr.XXXXXX)"
chmod 700 "$runtime_dir"
export XDG_RUNTIME_DIR="$runtime_dir"
export XRT_COMPOSITOR_NULL=1 SIMULATED_ENABLE=1 IPC_EXIT_ON_DISCONNECT=1
export XR_RUNTIME_JSON=/usr/share/openxr/1/openxr_monado.json
layer_dir=/usr/share/openxr/1/api_layers/explicit.d
if grep -qs '"XR_APILAYER_LUNARG_core_validation"' "$layer_dir"/*.json; then
    export XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
else
    echo "monado_test: the OpenXR core validation layer is not installed (openxr-layer-corevalidation)" >&2
    exit 1
fi

monado_pid=""
app_pid=""
cleanup() {
    exec 3>&- 2>/dev/null || true
    [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true
    [ -n "$monado_pid" ] && kill -9 "$monado_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$runtime_dir"
}
trap cleanup EXIT

# monado-service polls stdin (a key press shuts it down) and refuses /dev/null: give it a FIFO whose
# write end this script holds on fd 3.
start_monado() {
    rm -f "$runtime_dir/stdin"
    mkfifo "$runtime_dir/stdin"
    monado-service < "$runtime_dir/stdin" >> "$out/monado.log" 2>&1 &
    monado_pid=$!
    exec 3> "$runtime_dir/stdin"
    for _ in $(seq 100); do
        [ -S "$runtime_dir/monado_comp_ipc" ] && return 0
        kill -0 "$monado_pid" 2>/dev/null || { echo "monado-service died at start:"; cat "$out/monado.log"; exit 1; }
        sleep 0.1
    done
    echo "monado-service did not open its socket"; cat "$out/monado.log"; exit 1
}
start_monado

log="$out/app.log"
fail() {
    echo "FAIL ($case_name): $*"
    echo "---- app log (last 60 lines, without loader chatter) ----"
    grep -v '^\s\|INFO: (INSTANCE\|DEBUG: (INSTANCE' "$log" | tail -60 || true
    exit 1
}
expect_line() { grep -qE "$1" "$log" || fail "no line matching '$1'"; }
no_core_validation_reports() {
    if grep -E 'VALID_(ERROR|WARNING)|\[(ERROR|WARNING)\|' "$log" >/dev/null; then
        fail "the OpenXR core validation layer reported: $(grep -E 'VALID_(ERROR|WARNING)|\[(ERROR|WARNING)\|' "$log" | head -3)"
    fi
}
wait_for_line() {  # pattern seconds
    for _ in $(seq $(($2 * 10))); do
        grep -qE "$1" "$log" && return 0
        kill -0 "$app_pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# Waits for the app to end within $1 seconds; a hang is a failure.
wait_app() {
    for _ in $(seq $(($1 * 10))); do
        kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid" && rc=0 || rc=$?; app_pid=""; return 0; }
        sleep 0.1
    done
    fail "the app did not exit within $1 s (hang)"
}

common=(--head-path scripted --eye-size 320x240 --validation --idle-timeout 30)
case "$case_name" in
session)
    # A label open from the start: shown as a quad layer (Monado has room for it), so it is submitted
    # every frame under the core validation layer, but not part of the captured eye images.
    timeout -k 5 170 "$app" "$exhibit" "${common[@]}" --frames 320 --capture-frame 90 --capture-dir "$out" \
        --open-label whale-cranium > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: state FOCUSED$'
    expect_line '^xr: panels as quad layers$'
    frames=$(sed -n 's/^xr: frames submitted \([0-9]*\) views 2$/\1/p' "$log")
    [ -n "$frames" ] && [ "$frames" -ge 300 ] || fail "fewer than 300 frames with two views (${frames:-none})"
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: frames that waited for the GPU 0$'  # the gallery streamed in without a stall
    expect_line '^xr: captured frame [0-9]+ \(settled yes\)'
    expect_line '^xr: state STOPPING$'
    expect_line '^xr: state EXITING$'
    expect_line '^xr: exit clean'
    no_core_validation_reports
    grep -E '^xr: (frames submitted|frames that waited|cpu ms/frame|captured|swapchain|runtime)' "$log"
    VITRINE_XR_CAPTURE_DIR="$out" VITRINE_XR_GOLDEN_PREFIX=xr_gallery "$capture_test" || fail "captured eyes"
    ;;
panel)
    # The label panel drawn in the scene (the fallback without quad layers), in Chinese: in the eyes.
    timeout -k 5 120 "$app" "$exhibit" "${common[@]}" --frames 40 --capture-frame 20 --capture-dir "$out" \
        --panels scene --open-label whale-cranium --language zh > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: panels as scene geometry$'
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: captured frame [0-9]+ \(settled yes\)'
    no_core_validation_reports
    VITRINE_XR_CAPTURE_DIR="$out" VITRINE_XR_GOLDEN_PREFIX=xr_panel "$capture_test" || fail "captured eyes"
    ;;
tour)
    # The guided tour in Chinese: the visitor stands at the first stop, its first caption in a panel
    # (the capture holds the narration until the scene has settled, so it is always the first).
    timeout -k 5 120 "$app" "$exhibit" "${common[@]}" --frames 40 --capture-frame 20 --capture-dir "$out" \
        --panels scene --tour --language zh > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: event tour stop 1 of [0-9]+: '
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: captured frame [0-9]+ \(settled yes\)'
    no_core_validation_reports
    VITRINE_XR_CAPTURE_DIR="$out" VITRINE_XR_GOLDEN_PREFIX=xr_tour "$capture_test" || fail "captured eyes"
    ;;
narration)
    # The guided tour's narration in Chinese (no sound device here: the frame clock). Stop 1 plays
    # audio/stop1.zh.wav; its captions come up when the narration reaches them; its end moves on to
    # stop 2; leaving the session pauses the narration, ending it stops it.
    timeout -k 5 170 "$app" "$exhibit" "${common[@]}" --frames 480 --tour --language zh > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    narration=$(grep -m1 '^xr: event narration stop 1 in zh: ' "$log") || fail "no narration opened for stop 1 in zh"
    echo "$narration"
    [[ "$narration" =~ :\ ([0-9.]+)\ s\ \((frame\ clock|sound\ device)\),\ (.*)$ ]] || fail "unreadable: $narration"
    length="${BASH_REMATCH[1]}" clock="${BASH_REMATCH[2]}" file="${BASH_REMATCH[3]}"
    [ "$file" = "$(dirname "$exhibit")/audio/stop1.zh.wav" ] || fail "stop 1 played $file, not its Chinese narration"
    awk -v l="$length" 'BEGIN { exit !(l > 0.5) }' || fail "stop 1's narration is $length s long"
    # Stop 1's captions, from its narration to stop 2: both sentences, the second when the narration
    # reaches it. The caption track shares the narration by weighted length: 14 and 12 characters,
    # CJK weighing 3 each, so the second cue starts at 42/78 of it; a frame (dt <= 0.1 s) may pass
    # first, and the log rounds to 0.01 s.
    captions=$(sed -n '/^xr: event narration stop 1 in zh: /,/^xr: event tour stop 2 /p' "$log" | grep '^xr: event caption ' || true)
    echo "$captions"
    grep -qx 'xr: event caption 0.00 s: 领航鲸是体型最大的豚类之一。' <<< "$captions" || fail "stop 1's first caption is not shown at 0 s"
    second=$(sed -n 's/^xr: event caption \([0-9.]*\) s: 请看头骨前端骨质的吻部。$/\1/p' <<< "$captions")
    [ -n "$second" ] || fail "stop 1's second caption never came up"
    [ "$clock" = "sound device" ] ||
        awk -v t="$second" -v l="$length" 'BEGIN { s = l * 42 / 78; exit !(t >= s - 0.006 && t < s + 0.15) }' ||
        fail "the second caption came up at $second s, not when the narration reached it ($length * 42/78 s)"
    expect_line '^xr: event tour stop 2 of [0-9]+: '
    expect_line '^xr: event narration stop 2 in zh: [0-9.]+ s \((frame clock|sound device)\), .*/audio/stop2\.zh\.wav$'
    expect_line '^xr: narration paused \(state (SYNCHRONIZED|STOPPING|IDLE)\)$'
    expect_line '^xr: narration stopped \(session ended\)$'
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: exit clean'
    no_core_validation_reports
    grep -E '^xr: (event (tour|narration)|narration)' "$log"
    ;;
interact)
    # Scripted controllers through the interaction code: teleport (arc, walkable target), snap turn,
    # grab the nearest artifact and turn it in the hand, let go (it returns), point and select (label).
    timeout -k 5 150 "$app" "$exhibit" "${common[@]}" --frames 200 --input-script > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: event teleported to \([-0-9.]+, [-0-9.]+\)$'
    expect_line '^xr: event snap turn right 30 degrees$'
    expect_line '^xr: event grabbed [a-z-]+$'
    expect_line '^xr: event released [a-z-]+$'
    expect_line '^xr: event returned [a-z-]+ to its plinth$'
    expect_line '^xr: event label opened [a-z-]+$'
    expect_line '^xr: event recentred: eye height [0-9.]+ m$'
    expect_line '^xr: validation errors 0 warnings 0$'
    no_core_validation_reports
    grep '^xr: event' "$log"
    # The tour's controls (--input-script=tour), in Chinese, the panel a quad layer: the previous
    # button at stop 1 (it stays), the panel's right third (next), its left third (previous), a select
    # at nothing (next), the previous button, the pause button, the panel's middle third (resume), the
    # pause button twice (pause, resume). A fresh monado-service (the first may still be exiting: it
    # ends with its client, IPC_EXIT_ON_DISCONNECT).
    kill -9 "$monado_pid" 2>/dev/null || true
    wait "$monado_pid" 2>/dev/null || true
    rm -f "$runtime_dir"/monado_comp_ipc*
    start_monado
    log="$out/app-tour.log"
    timeout -k 5 150 "$app" "$exhibit" "${common[@]}" --frames 230 --tour --language zh --input-script=tour \
        > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc (tour controls)"
    expect_line '^xr: panels as quad layers$'
    # The controls and the stops they lead to, in order (a stop's narration lasts longer than the 2 s
    # between steps, so none of its ends moves the tour on in between).
    steps=$(sed -n -e 's/^xr: event \(tour stop [0-9]*\) of [0-9]*: .*/\1/p' \
                   -e 's/^xr: event \(tour \(next\|previous\) ([a-z]*)\(: already at stop [0-9]*\)\{0,1\}\)$/\1/p' \
                   -e 's/^xr: event narration \(paused\|resumed\) at [0-9.]* s (\([a-z]*\))$/narration \1 (\2)/p' "$log" |
            head -14)
    echo "$steps"
    expected='tour stop 1
tour previous (button): already at stop 1
tour next (panel)
tour stop 2
tour previous (panel)
tour stop 1
tour next (select)
tour stop 2
tour previous (button)
tour stop 1
narration paused (button)
narration resumed (panel)
narration paused (button)
narration resumed (button)'
    [ "$steps" = "$expected" ] || fail "the tour's controls: expected
$expected"
    # Paused, the narration and its caption clock stand still: resumed where it was paused.
    times=$(sed -n 's/^xr: event narration \(paused\|resumed\) at \([0-9.]*\) s .*/\2/p' "$log" | head -4 | tr '\n' ' ')
    read -r paused1 resumed1 paused2 resumed2 <<< "$times"
    [ "$paused1" = "$resumed1" ] && [ "$paused2" = "$resumed2" ] ||
        fail "the narration moved while paused: paused/resumed at $times"
    awk -v a="$resumed1" -v b="$paused2" 'BEGIN { exit !(b > a) }' || fail "the narration did not play on after resuming ($times)"
    expect_line '^xr: event narration stop 2 in zh: [0-9.]+ s \((frame clock|sound device)\), .*/audio/stop2\.zh\.wav$'
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: exit clean'
    no_core_validation_reports
    grep -E '^xr: event (tour|narration (paused|resumed))' "$log"
    ;;
ar)
    timeout -k 5 120 "$app" "$exhibit" "${common[@]}" --mode ar --frames 60 --capture-frame 30 --capture-dir "$out" \
        > "$log" 2>&1 && rc=0 || rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: AR mode'
    expect_line '^xr: exhibit .*\(AR\)$'
    expect_line '^xr: validation errors 0 warnings 0$'
    expect_line '^xr: captured frame [0-9]+ \(settled yes\)'
    no_core_validation_reports
    VITRINE_XR_CAPTURE_DIR="$out" VITRINE_XR_GOLDEN_PREFIX=xr_ar "$capture_test" || fail "captured eyes"
    ;;
runtime-exit | killed)
    # One of them seated: the LOCAL space with eye-height calibration.
    seated=()
    [ "$case_name" = runtime-exit ] && seated=(--seated)
    "$app" "$exhibit" "${common[@]}" "${seated[@]}" --panels off > "$log" 2>&1 &
    app_pid=$!
    wait_for_line '^xr: state FOCUSED$' 60 || fail "never FOCUSED"
    sleep 2  # some frames in flight
    if [ "$case_name" = killed ]; then
        kill -9 "$monado_pid"
    else
        echo >&3  # a key press on monado-service's stdin: it shuts down in order
    fi
    start=$(date +%s%N)
    wait_app 20
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "app exited ${elapsed} ms after the runtime went away, exit code $rc"
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: exit clean \(runtime lost\)$'
    expect_line '^xr: validation errors 0 warnings 0$'
    no_core_validation_reports
    grep -E '^xr: (state|exit|frames submitted|.*returned)' "$log" | tail -8
    ;;
retry)
    # --retry: monado-service is killed, comes back, the app starts again and reaches FOCUSED; killed
    # for good, the app gives up after the retry time and exits cleanly. 20 s: room for monado-service
    # to come back on a loaded machine (start_monado allows it 10 s to open its socket).
    "$app" "$exhibit" "${common[@]}" --panels off --retry 20 > "$log" 2>&1 &
    app_pid=$!
    wait_for_line '^xr: state FOCUSED$' 60 || fail "never FOCUSED"
    kill -9 "$monado_pid"; wait "$monado_pid" 2>/dev/null || true
    rm -f "$runtime_dir"/monado_comp_ipc*
    wait_for_line '^xr: runtime lost; waiting' 20 || fail "no retry after the runtime was killed"
    start_monado
    for _ in $(seq 600); do
        [ "$(grep -c '^xr: state FOCUSED$' "$log")" -ge 2 ] && break
        kill -0 "$app_pid" 2>/dev/null || fail "the app ended instead of reconnecting"
        sleep 0.1
    done
    [ "$(grep -c '^xr: state FOCUSED$' "$log")" -ge 2 ] || fail "no second FOCUSED after the runtime came back"
    kill -9 "$monado_pid"; wait "$monado_pid" 2>/dev/null || true
    wait_app 45
    [ "$rc" -eq 0 ] || fail "exit code $rc"
    expect_line '^xr: no runtime after 20 s; giving up$'
    no_core_validation_reports
    grep -E '^xr: (state FOCUSED|exit|runtime lost|no runtime)' "$log"
    ;;
*)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac
echo "PASS ($case_name)"
