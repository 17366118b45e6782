#!/usr/bin/env bash
# The ThreadSanitizer leg: the multi-threaded parts (HTTP source, streaming scene, streaming over
# HTTP with faults) built with -fsanitize=thread. Any report fails.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup.sh
scripts/in-root.sh bash -c "cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON \
        -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null \
    && cmake --build build/tsan -j\$(nproc) --target net_tests stream_tests stream_http_tests"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    scripts/in-root.sh ctest --test-dir build/tsan --output-on-failure -j"$(nproc)" -R "^(NginxTest|FaultTest|Stream[A-Za-z]*|Faults/FaultyStream)[./]" "$@"
