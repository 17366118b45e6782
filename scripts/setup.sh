#!/usr/bin/env bash
# Prepare the Debian 13 (trixie) build environment.
#
# On a Debian 13 host the packages in scripts/packages.txt are installed natively. Anywhere else a
# minimal trixie root is bootstrapped into $VITRINE_ROOT (default /var/cache/vitrine/root) and the
# packages are installed there. A stamp keyed on the package list makes a rerun take seconds.
# The mirror is read from the host's apt configuration; nothing here names a host.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages_file="$repo/scripts/packages.txt"
root="${VITRINE_ROOT:-/var/cache/vitrine/root}"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$packages_file" | grep -v '^$')
stamp_key="$(sha256sum "$packages_file" | cut -d' ' -f1)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The first http(s) mirror of the host's Debian archive (deb822 .sources files first, then sources.list).
host_mirror() {
    local uri
    uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -v -- '-security' | head -n1 || true)"
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' \
            /etc/apt/sources.list | grep -v -- '-security' | head -n1 || true)"
    fi
    [ -n "$uri" ] || { echo "setup: no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2; exit 1; }
    echo "${uri%/}"
}

if grep -qs '^VERSION_CODENAME=trixie' /etc/os-release; then
    stamp=/var/cache/vitrine/native.stamp
    if [ "$(cat "$stamp" 2>/dev/null || true)" = "$stamp_key" ]; then exit 0; fi
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
    as_root mkdir -p "$(dirname "$stamp")" && echo "$stamp_key" | as_root tee "$stamp" >/dev/null
    exit 0
fi

stamp="$root/.vitrine-packages.stamp"
if [ "$(cat "$stamp" 2>/dev/null || true)" = "$stamp_key" ]; then exit 0; fi

start=$(date +%s)
mirror="$(host_mirror)"
if [ ! -x "$root/usr/bin/apt-get" ] || [ ! -f "$root/.vitrine-bootstrapped" ]; then
    if ! command -v debootstrap >/dev/null; then
        echo "setup: installing debootstrap on the host"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
    fi
    echo "setup: bootstrapping Debian 13 into $root from $mirror"
    as_root rm -rf "$root"
    as_root mkdir -p "$root"
    as_root debootstrap --variant=minbase trixie "$root" "$mirror" >"${TMPDIR:-/tmp}/vitrine-debootstrap.log" 2>&1 \
        || { tail -n 30 "${TMPDIR:-/tmp}/vitrine-debootstrap.log" >&2; exit 1; }
    as_root touch "$root/.vitrine-bootstrapped"
fi

echo "setup: installing ${#packages[@]} packages into $root"
as_root cp /etc/resolv.conf "$root/etc/resolv.conf"
as_root bash -c "echo 'deb $mirror trixie main' > '$root/etc/apt/sources.list'"
"$repo/scripts/in-root.sh" bash -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages[*]}" \
    >"${TMPDIR:-/tmp}/vitrine-apt.log" 2>&1 || { tail -n 30 "${TMPDIR:-/tmp}/vitrine-apt.log" >&2; exit 1; }
echo "$stamp_key" | as_root tee "$stamp" >/dev/null
echo "setup: build root ready in $(( $(date +%s) - start )) s"
