#!/usr/bin/env bash
# Prints the line that goes above a pasted benchmark table: the command, the date and the machine
# (CPU, cores, memory, the load when the run started: other work on the machine changes the numbers).
# usage: scripts/bench-header.sh "COMMAND"
set -euo pipefail
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
memory="$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
os="$(. /etc/os-release && echo "$PRETTY_NAME")"
echo "\`$1\` on $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($cpu), $memory, $os host, Debian 13 build root; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
