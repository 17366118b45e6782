// Cluster LOD build benchmark: imports one scan, builds its hierarchy with 1 and with N threads and
// prints levels, triangles per level, total/input ratio, root size, time and peak memory. One scan per
// process, so ru_maxrss is that scan's peak (import + build).
//
//   lod_bench SCAN [THREADS [ATTRIBUTE_WEIGHT]]   (ATTRIBUTE_WEIGHT sets the normal, uv and colour weights)
//
// THREADS written as =N builds once with N threads only, so the reported peak is that build's own.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/lod/cluster_lod_builder.h"
#include "tools/scan/import.h"

namespace {

double peakMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: lod_bench SCAN [THREADS]\n");
        return 2;
    }
    const bool once = argc > 2 && argv[2][0] == '=';
    const uint32_t threads = argc > 2 ? static_cast<uint32_t>(std::atoi(argv[2] + (once ? 1 : 0))) : 2u;
    vt::lod::LodOptions options;
    if (argc > 3) options.attributeWeightNormal = options.attributeWeightUv = options.attributeWeightColor = std::strtof(argv[3], nullptr);
    auto start = std::chrono::steady_clock::now();
    vt::Result<vt::asset::Model> model = vt::scan::importScan(argv[1]);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().message.c_str());
        return 1;
    }
    const double importSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double importPeak = peakMiB();
    std::vector<uint32_t> counts{threads};
    if (!once) counts.insert(counts.begin(), 1u);
    for (uint32_t t : counts) {
        start = std::chrono::steady_clock::now();
        vt::Result<vt::asset::ClusterHierarchy> h = vt::lod::buildClusterLod(*model, [&] {
            vt::lod::LodOptions o = options;
            o.threads = t;
            return o;
        }());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!h) {
            std::fprintf(stderr, "%s\n", h.error().message.c_str());
            return 1;
        }
        size_t rootTriangles = 0, rootClusters = 0;
        float rootError = 0.0f;
        for (const vt::asset::Cluster& c : h->clusters) {
            if (c.parentError < vt::asset::kNoParent) continue;
            rootError = std::max(rootError, c.error);
            rootTriangles += c.indices.size() / 3;
            ++rootClusters;
        }
        std::string levels;
        for (uint32_t l = 0; l < h->levelCount; ++l) levels += (l ? " " : "") + std::to_string(h->triangleCount(l));
        std::printf("%s: %zu tris, import %.2f s (peak %.0f MiB) | %u thread(s): build %.3f s, peak %.0f MiB, levels %u, "
                    "total/input %.3f, root %zu tris in %zu clusters (error %.2g of the radius), clusters %zu | %s\n",
                    argv[1], model->triangleCount(), importSeconds, importPeak, t, seconds, peakMiB(), h->levelCount,
                    static_cast<double>(h->triangleCount()) / static_cast<double>(h->inputTriangles), rootTriangles,
                    rootClusters, static_cast<double>(rootError / model->bounds().radius()), h->clusters.size(), levels.c_str());
    }
    return 0;
}
