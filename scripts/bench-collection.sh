#!/usr/bin/env bash
# Batch conversion throughput: nine corpus scans (<= 100k triangles each, 621k in all) named by a
# CSV, converted by `vitrine collection convert` with 1 job and with all cores, alternating (which
# goes first alternates too), RUNS times each (at least 3); prints each run, min / median / max and
# the medians' ratio. A failed run (non-zero exit, or any object not converted) prints FAILED and the
# script exits 1 after the rest. Also checks that two shards side by side give byte-identical packs.
# usage: scripts/bench-collection.sh [RUNS]   (VITRINE=path/to/vitrine to use another build)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
runs="${1:-3}"
[ "$runs" -ge 3 ] || { echo "bench-collection: at least 3 runs (got $runs)" >&2; exit 2; }
vitrine="${VITRINE:-build/release/tools/cli/vitrine}"
if [ -z "${VITRINE:-}" ]; then  # only what the benchmark runs (the configuration of scripts/build.sh)
    bash scripts/setup.sh >&2
    scripts/in-root.sh bash -c "cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITRINE_WERROR=ON >/dev/null \
        && cmake --build build/release --target vitrine" >&2
fi
work="${VITRINE_BENCH_DIR:-/tmp/vitrine-bench-collection}"
meshes="$repo/../shared/corpus/meshes"
rm -rf "$work"; mkdir -p "$work/src"
ln -s "$meshes/iiif3d-assets/assets/venus" "$work/src/venus"
ln -s "$meshes/iiif3d-assets/assets/whale" "$work/src/whale"
ln -s "$meshes/iiif3d-assets/assets/saxophone" "$work/src/sax"
ln -s "$meshes/threedscans-polygonjs/models/resources/threedscans.com" "$work/src/tds"
ln -s "$meshes/odedstein-meshes/objects/demosthenes" "$work/src/demo"
ln -s "$meshes/odedstein-meshes/objects/lionstatue" "$work/src/lion"
ln -s "$meshes/stanford-bunny/bunny/reconstruction" "$work/src/bunny"
cat > "$work/src/objects.csv" <<'CSV'
No,Title,Scan
T-1,Venus de Milo (cast),venus/venus.glb
T-2,Pilot whale cranium,whale/whale_cranium.glb
T-3,Pilot whale mandible,whale/whale_mandible_draco.glb
T-4,Charlie Parker's saxophone,sax/saxophone_draco.glb
T-5,Beethoven,tds/beethoven.glb
T-6,Einstein,tds/einstein.glb
T-7,Demosthenes,demo/demosthenes-low-res.obj
T-8,Lion statue,lion/lionstatue.obj
T-9,Stanford bunny,bunny/bun_zipper.ply
CSV
echo '{"institution": "corpus", "columns": {"No": "objectNumber", "Title": "title@en", "Scan": "model"}}' > "$work/src/map.json"
cores="$(scripts/in-root.sh nproc)"
bash scripts/bench-header.sh "bash scripts/bench-collection.sh${*:+ $*}"
scripts/in-root.sh "$vitrine" collection import "$work/src/objects.csv" --mapping "$work/src/map.json" --catalog "$work/catalog.db" >&2

convert() {  # JOBS NAME: converts into a fresh store; the output goes to $work/NAME.out
    rm -rf "$work/store-$2" "$work/$2.db"*; cp "$work/catalog.db" "$work/$2.db"
    scripts/in-root.sh "$vitrine" collection convert --catalog "$work/$2.db" --store "$work/store-$2" -j "$1" \
        >"$work/$2.out" 2>&1
}
failed=0
printf '%-8s %-5s %10s %14s %10s\n' run jobs seconds triangles/s scans/min
one=(); all=()
for run in $(seq "$runs"); do
    # Alternate which goes first (1 job, all cores; then all cores, 1 job; ...).
    if [ $((run % 2)) = 1 ]; then order=(1 "$cores"); else order=("$cores" 1); fi
    for jobs in "${order[@]}"; do
        # `collection convert` exits 0 even when objects fail, so its summary is checked too.
        if ! convert "$jobs" "j$jobs" || ! grep -q '9 scan sets converted, 0 found in the store, 0 objects failed' "$work/j$jobs.out"; then
            printf '%-8s %-5s FAILED: %s\n' "$run" "$jobs" "$(grep -v '^  ' "$work/j$jobs.out" | tr '\n' ' ' | cut -c1-300)"
            failed=1; continue
        fi
        read -r seconds triangles < <(sed -n 's/^throughput: \([0-9]*\) triangles in \([0-9.]*\) s.*/\2 \1/p' "$work/j$jobs.out")
        awk -v r="$run" -v j="$jobs" -v s="$seconds" -v t="$triangles" 'BEGIN {printf "%-8s %-5s %10s %14.0f %10.1f\n", r, j, s, t / s, 9 * 60 / s}'
        if [ "$jobs" = 1 ]; then one+=("$seconds"); else all+=("$seconds"); fi
    done
done
spread() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%s %s %s\n", a[1], m, a[NR]}'; }
if [ "${#one[@]}" -gt 0 ] && [ "${#all[@]}" -gt 0 ]; then
    read -r min1 m1 max1 < <(spread "${one[@]}"); read -r mina ma maxa < <(spread "${all[@]}")
    echo "seconds, min / median / max over runs: 1 job $min1 / $m1 / $max1; $cores jobs $mina / $ma / $maxa"
    awk -v a="$m1" -v b="$ma" -v c="$cores" 'BEGIN {printf "medians: %s jobs / 1 job = %.2fx the throughput\n", c, a / b}'
fi

# two shards side by side into one store == the single run's packs
rm -rf "$work/store-shards" "$work/shards.db"*; cp "$work/catalog.db" "$work/shards.db"
scripts/in-root.sh bash -c "'$vitrine' collection convert --catalog '$work/shards.db' --store '$work/store-shards' --shard 0/2 >/dev/null &
    '$vitrine' collection convert --catalog '$work/shards.db' --store '$work/store-shards' --shard 1/2 >/dev/null; wait"
if diff <(cd "$work/store-shards" && find packs -name '*.vpk' | sort | xargs sha256sum) \
        <(cd "$work/store-j1" && find packs -name '*.vpk' | sort | xargs sha256sum) >/dev/null; then
    echo "shards 0/2 + 1/2 side by side: byte-identical packs to the single run"
else
    echo "shards: packs DIFFER from the single run"; exit 1
fi
if [ "$failed" = 1 ]; then echo "FAILED: at least one run failed (see above)"; exit 1; fi
