#!/usr/bin/env bash
# Run a command inside the Debian 13 build root, in the current directory.
#
# The command runs in a private mount namespace, so every bind mount vanishes when it exits.
# /dev, /proc, /sys, /tmp, the repository and ../shared (the corpus) appear at the same absolute
# paths inside as outside (more folders: VITRINE_BINDS="DIR ..."). The root starts from a clean
# environment; the variables named in `passthrough` below are carried in when set.
# On a Debian 13 host the command simply runs natively.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${VITRINE_ROOT:-/var/cache/vitrine/root}"
[ $# -gt 0 ] || { echo "usage: in-root.sh COMMAND [ARGS...]" >&2; exit 2; }

if grep -qs '^VERSION_CODENAME=trixie' /etc/os-release; then exec "$@"; fi
[ -x "$root/bin/bash" ] || { echo "in-root: no build root at $root; run scripts/setup.sh first" >&2; exit 1; }

# Each bind is "SOURCE=TARGET": ../shared may be a symlink, so its real folder is mounted at the
# path the repository sees.
binds=("$repo=$repo")
shared="$(cd "$repo/.." && pwd)/shared"
[ -d "$shared" ] && binds+=("$(cd "$shared" && pwd -P)=$shared")
for extra in ${VITRINE_BINDS:-}; do binds+=("$extra=$extra"); done

passthrough=(TERM TSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS VITRINE_UPDATE_GOLDENS VITRINE_VALIDATION VITRINE_DEVICE GTEST_FILTER CTEST_PARALLEL_LEVEL
             CTEST_OUTPUT_ON_FAILURE VK_LOADER_DEBUG DISPLAY XAUTHORITY)
env_args=(HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
for name in "${passthrough[@]}"; do
    if [ -n "${!name+x}" ]; then env_args+=("$name=${!name}"); fi
done

# Quote the command so it survives the nested bash -c.
printf -v cmd '%q ' "$@"
exec env -u LD_PRELOAD unshare --mount --fork bash -c '
    set -e
    root="$1"; workdir="$2"; cmd="$3"; bind_count="$4"; shift 4
    binds=("${@:1:$bind_count}"); shift "$bind_count"
    mount --make-rprivate /
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --bind /tmp "$root/tmp"
    for bind in "${binds[@]}"; do
        source="${bind%%=*}"; target="$root${bind#*=}"
        mkdir -p "$target"; mount --bind "$source" "$target"
    done
    exec chroot "$root" env -i "$@" bash -c "cd \"$workdir\" && $cmd"
' in-root "$root" "$PWD" "$cmd" "${#binds[@]}" "${binds[@]}" "${env_args[@]}"
