#!/usr/bin/env bash
# The headset's real input path: vitrine-xr against monado-service with Monado's remote driver
# ("Remote HMD", "Remote Left/Right Controller", offered to apps as Valve Index controllers), moved
# by monado_remote_client over 127.0.0.1:4242. No --input-script and no --head-path scripted: every
# head pose and button reaches the app through xrLocateViews, xrLocateSpace and xrSyncActions, by
# the app's Index bindings. With --tour, in English, each step waits for what the app prints:
#
#   tour      trigger pointing at nothing: next stop; B: previous stop; once stop 1's narration has
#             reached its second caption, A: pause the narration
#   label     the left controller points at the whale cranium from the start, without its trigger:
#             no label opens through the steps above; its trigger then opens the label
#   grab      squeeze on the cranium: grabbed, lifted, let go, back on its plinth
#   teleport  stick forward aims backwards and down, release: teleported behind the stop
#   head      the head moves 0.3 m right and turns 40 degrees left, left A recentres (eye height),
#             then the stick snap-turns right 30 degrees: the app's head is 0.3 m right of the
#             teleport target, facing 10 degrees
#   resume    A again: the narration resumes where it was paused (it stood still meanwhile);
#             left B switches the language
#
# Tracking space: the hub's head starts at (0, 1.6, 0) looking along -Z; the tour places it at stop
# 1 of the sample gallery, (1.7, 2.75) looking at (1.7, 1.05, 1.6), so tracking (x, y, z) is the
# gallery's (x + 1.7, y, z + 2.75) until the first teleport.
#
# Port 4242 is fixed by Monado: a lock in /tmp keeps such runs one at a time on this machine, and a
# port taken by anything else fails the case with that reason.
#
# usage: monado_remote_test.sh VITRINE_XR EXHIBIT OUT_DIR REMOTE_CLIENT
set -euo pipefail
app="$1" exhibit="$2" out="$3" client="$4"
started=$(date +%s)

rm -rf "$out"
mkdir -p "$out"
log="$out/app.log"
remote_log="$out/remote.log"
monado_log="$out/monado.log"

# The lock is held on fd 8, which no child inherits (one left behind must not hold it).
lock=/tmp/vitrine-monado-remote-4242.lock
exec 8>>"$lock"
flock -w 120 8 || { echo "FAIL: another run held $lock (port 4242) for 120 s"; exit 1; }
if (exec 7<>/dev/tcp/127.0.0.1/4242) 2>/dev/null; then
    echo "FAIL: port 4242 is taken by another program; Monado's remote driver needs it"
    exit 1
fi

runtime_dir="$(mktemp -d /tmp/vitrine-xr-remote.XXXXXX)"
chmod 700 "$runtime_dir"
export XDG_RUNTIME_DIR="$runtime_dir"
export XRT_COMPOSITOR_NULL=1 IPC_EXIT_ON_DISCONNECT=1 P_OVERRIDE_ACTIVE_CONFIG=remote
export XR_RUNTIME_JSON=/usr/share/openxr/1/openxr_monado.json
if grep -qs '"XR_APILAYER_LUNARG_core_validation"' /usr/share/openxr/1/api_layers/explicit.d/*.json; then
    export XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
else
    echo "FAIL: the OpenXR core validation layer is not installed (openxr-layer-corevalidation)"
    exit 1
fi

monado_pid="" app_pid="" client_pid=""
cleanup() {
    exec 3>&- 4>&- 2>/dev/null || true
    for pid in "$app_pid" "$client_pid" "$monado_pid"; do
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$runtime_dir"
}
trap cleanup EXIT

fail() {
    echo "FAIL (remote input): $*"
    echo "---- remote client ----"; tail -20 "$remote_log" 2>/dev/null || true
    echo "---- app log (last 60 lines, without loader chatter) ----"
    grep -v '^\s\|INFO: (INSTANCE\|DEBUG: (INSTANCE' "$log" 2>/dev/null | tail -60 || true
    exit 1
}

# monado-service polls stdin and refuses /dev/null: a FIFO whose write end this script holds on fd 3
# (a line on it shuts the service down in order).
mkfifo "$runtime_dir/stdin"
monado-service < "$runtime_dir/stdin" > "$monado_log" 2>&1 8>&- &
monado_pid=$!
exec 3> "$runtime_dir/stdin"
for _ in $(seq 200); do
    grep -q "Listening on port '4242'" "$monado_log" && [ -S "$runtime_dir/monado_comp_ipc" ] && break
    grep -q 'bind: ' "$monado_log" && fail "monado-service could not listen on port 4242: $(grep 'bind: ' "$monado_log")"
    kill -0 "$monado_pid" 2>/dev/null || fail "monado-service died at start: $(tail -5 "$monado_log")"
    sleep 0.1
done
grep -q "Listening on port '4242'" "$monado_log" || fail "monado-service's remote driver is not listening on 4242 after 20 s"
grep -q 'Remote Right Controller' "$monado_log" || fail "monado-service built no remote controllers"

# The client reads its commands from a FIFO held on fd 4.
mkfifo "$runtime_dir/remote"
"$client" < "$runtime_dir/remote" > "$remote_log" 2>&1 3>&- 8>&- &
client_pid=$!
exec 4> "$runtime_dir/remote"
sent=0
send() {  # one command; returns once the client has sent it
    echo "$*" >&4
    sent=$((sent + 1))
    for _ in $(seq 100); do
        [ "$(grep -c '^remote: sent ' "$remote_log")" -ge "$sent" ] && return 0
        kill -0 "$client_pid" 2>/dev/null || fail "the remote client ended"
        sleep 0.05
    done
    fail "the remote client did not send '$*'"
}
for _ in $(seq 300); do
    grep -q '^remote: the hub.s packets match' "$remote_log" && break
    kill -0 "$client_pid" 2>/dev/null || fail "the remote client could not start: $(cat "$remote_log")"
    sleep 0.1
done
grep '^remote: the hub' "$remote_log" || fail "the remote client did not connect"

# Where the controllers are before the app starts: the left one points at the whale cranium (stop 1's
# target), the right one straight up (at nothing).
send point left -0.3 1.2 -0.5 0 1.05 -1.15
send point right 0.2 1.3 -0.5 0.2 3.3 -0.5

"$app" "$exhibit" --tour --eye-size 160x120 --msaa 1 --validation --idle-timeout 30 > "$log" 2>&1 3>&- 4>&- 8>&- &
app_pid=$!

mark=0
# Waits up to $2 seconds for a line matching $1 after the mark (the log's length when the step began);
# prints it and keeps it in $out/last-line.
await() {
    local line
    for _ in $(seq $(($2 * 10))); do
        line=$(tail -n +$((mark + 1)) "$log" | grep -m1 -E "$1" || true)
        if [ -n "$line" ]; then
            echo "$line" | tee "$out/last-line"
            return 0
        fi
        kill -0 "$app_pid" 2>/dev/null || fail "the app ended while waiting for '$1'"
        sleep 0.1
    done
    fail "no line matching '$1' within $2 s"
}
# A step: commands sent (separated by ';'), then what the app must print, in order.
step() {  # "commands" pattern...
    mark=$(wc -l < "$log")
    local commands="$1" command
    shift
    IFS=';' read -ra list <<< "$commands"
    for command in "${list[@]}"; do send $command; done
    for pattern in "$@"; do await "$pattern" 60; done
}

await '^xr: event tour stop 1 of [0-9]+: ' 150
step "trigger right 1" '^xr: event tour next \(select\)$' '^xr: event tour stop 2 of '
# Back at stop 1, its narration plays on to its second caption (so the pause holds a time past 0).
step "trigger right 0; button right b 1" '^xr: event tour previous \(button\)$' '^xr: event tour stop 1 of ' \
    '^xr: event caption [0-9]*[1-9][0-9.]* s: '
step "button right b 0; button right a 1" '^xr: event narration paused at [0-9.]+ s \(button\)$'
paused=$(sed -n 's/^xr: event narration paused at \([0-9.]*\) s .*/\1/p' "$out/last-line")
! grep -q '^xr: event label opened' "$log" ||
    fail "a label opened without a trigger press: $(grep '^xr: event label opened' "$log")"
echo "no label opened while the left controller pointed at the cranium without its trigger"

step "button right a 0; trigger left 1" '^xr: event label opened whale-cranium( hotspot [0-9]+)?$'
step "trigger left 0; squeeze left 1" '^xr: event grabbed whale-cranium$'
step "point left -0.3 1.35 -0.5 0 1.2 -1.15; squeeze left 0" '^xr: event released whale-cranium$' \
    '^xr: event returned whale-cranium to its plinth$'

# Backwards and 60 degrees down from (1.9, 1.3, 2.25): the arc lands about 0.65 m behind the hand.
step "point right 0.2 1.3 -0.5 0.2 0.3 0.077; stick right 0 1" '^xr: event teleport aiming \(right hand\)$'
step "stick right 0 0" '^xr: event teleported to \([-0-9.]+, [-0-9.]+\)$' '^xr: event head at '
read -r tx tz facing < <(sed -n 's/^xr: event head at (\([-0-9.]*\), \([-0-9.]*\)) facing \([-0-9.]*\) degrees$/\1 \2 \3/p' "$out/last-line")
awk -v x="$tx" -v z="$tz" -v f="$facing" 'BEGIN { exit !(x > 1.75 && x < 2.05 && z > 2.75 && z < 3.3 && f > -1 && f < 1) }' ||
    fail "the teleport should land behind stop 1 at about (1.90, 2.90) facing 0 degrees: head at ($tx, $tz) facing $facing"

# The app locates the head before it syncs the actions, so a packet arriving in between shows it a
# new stick with the old head: the head's move is acknowledged by a recentre first (the frame after
# the one that saw left A has located the new head), then the stick turns.
step "head 0.3 1.6 0 40; button left a 1" '^xr: event recentred: eye height [0-9.]+ m$'
step "button left a 0; stick right 1 0" '^xr: event snap turn right 30 degrees$' '^xr: event head at '
read -r hx hz facing < <(sed -n 's/^xr: event head at (\([-0-9.]*\), \([-0-9.]*\)) facing \([-0-9.]*\) degrees$/\1 \2 \3/p' "$out/last-line")
awk -v x="$hx" -v z="$hz" -v tx="$tx" -v tz="$tz" -v f="$facing" \
    'BEGIN { d = (x - tx - 0.3) ^ 2 + (z - tz) ^ 2; exit !(d < 0.02 ^ 2 && f > 9 && f < 11) }' ||
    fail "after the head moved 0.3 m right and turned 40 degrees left, and a 30 degree snap turn right: head at ($hx, $hz) facing $facing, expected ($tx + 0.30, $tz) facing 10"

step "stick right 0 0; button right a 1" '^xr: event narration resumed at [0-9.]+ s \(button\)$'
resumed=$(sed -n 's/^xr: event narration resumed at \([0-9.]*\) s .*/\1/p' "$out/last-line")
[ "$resumed" = "$paused" ] || fail "the narration moved while paused: paused at $paused s, resumed at $resumed s"
step "button right a 0; button left b 1" '^xr: event language zh$'
send button left b 0

# An orderly shutdown of the runtime ends the session; the app leaves cleanly.
echo >&3
for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "the app did not exit within 30 s of the runtime shutting down"
wait "$app_pid" && rc=0 || rc=$?
app_pid=""
[ "$rc" -eq 0 ] || fail "exit code $rc"
profiles='^xr: interaction profile changed: left /interaction_profiles/valve/index_controller, right /interaction_profiles/valve/index_controller$'
grep -qE "$profiles" "$log" || fail "the runtime did not bind the Index profile to both hands: $(grep '^xr: interaction profile' "$log")"
grep -qE '^xr: validation errors 0 warnings 0$' "$log" || fail "Vulkan validation problems"
grep -qE '^xr: exit clean' "$log" || fail "no clean exit"
if grep -E 'VALID_(ERROR|WARNING)|\[(ERROR|WARNING)\|' "$log" >/dev/null; then
    fail "the OpenXR core validation layer reported: $(grep -E 'VALID_(ERROR|WARNING)|\[(ERROR|WARNING)\|' "$log" | head -3)"
fi
grep -E '^xr: (interaction profile|frames submitted|exit)' "$log"
echo "PASS (remote input) in $(($(date +%s) - started)) s"
