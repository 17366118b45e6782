#!/usr/bin/env bash
# The ThreadSanitizer leg: every part of Vitrine that runs threads, built with -fsanitize=thread.
# Any report fails.
#   - the HTTP source, the streaming scene and streaming over HTTP with faults (I/O threads);
#   - the cluster-LOD builder's worker threads (the same hierarchy for 1 and 4 threads);
#   - the converter: parallel texture compression and the pack writer's page compression (the
#     streaming tests' fixture converts a textured scan, and ConvertThreads does it twice);
#   - batch conversion of a collection with several jobs (Batch.*);
#   - the gallery's background opens of packs over HTTP (GalleryRender, on lavapipe).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup.sh
scripts/in-root.sh bash -c "cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON \
        -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null \
    && cmake --build build/tsan -j\$(nproc) --target net_tests stream_tests stream_http_tests lod_tests tools_tests \
        collection_tests gallery_render_tests"
tests='^(NginxTest|FaultTest|Stream[A-Za-z]*|Faults/FaultyStream)[./]'
tests+='|^ClusterLod\.DeterministicForAnyThreadCount$|^ConvertThreads\.'
tests+='|^Batch\.(KilledAnywhereThenResumedLosesNothingAndConvertsNothingTwice|TwoShardsSideBySideEqualOneRun)$'
tests+='|^GalleryRender\.(PackOverHttpRendersLikeTheLocalFile|MissingPackAndUnreachableUrlAreReportedOnceAndTheRestRenders)$'
status=0
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$repo/scripts/tsan.supp" \
    scripts/in-root.sh ctest --test-dir build/tsan --output-on-failure -j"$(nproc)" -R "$tests" "$@" 2>&1 \
    | tee build/tsan/ctest.log || status=$?
bash scripts/check-skips.sh build/tsan/ctest.log || status=1
exit "$status"
