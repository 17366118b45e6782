// Streaming benchmark (a program, not a test): prints tables and ratios measured in one run.
//
// 1. A gallery of real corpus scans, many copies, more than 10M triangles in all, at 1280x720 on
//    whatever Vulkan device is present (lavapipe here): streaming LOD vs drawing every artifact at
//    full resolution. Frame time, triangles drawn, triangles per covered pixel, along a camera path;
//    the longest streaming frame shows whether any frame waited on I/O.
// 2. One artifact from a real nginx on loopback throttled to 1 MB/s (~8 Mbit/s, a rural link): time
//    to the first drawn frame and to settled, vs downloading the same scan as a single GLB first.
//
// usage: stream_bench [--work DIR] [--corpus DIR] [--frames N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <format>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "convert_scan.h"
#include "gpu/context.h"
#include "net/http_source.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "render/headless.h"
#include "render/renderer.h"
#include "scene/camera.h"
#include "scene/lighting.h"
#include "stream/streaming_scene.h"
#include "stream_gpu/gpu_streamer.h"
#include "tests/net/nginx_server.h"
#include "tools/scan/import.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

struct Scan {
    const char* name;
    const char* path;
    int copies;
};

size_t coveredPixels(const vt::asset::Image& image) {
    const uint8_t* bg = image.rgba.data();
    size_t count = 0;
    for (size_t i = 0; i < image.rgba.size(); i += 4)
        if (std::abs(image.rgba[i] - bg[0]) + std::abs(image.rgba[i + 1] - bg[1]) + std::abs(image.rgba[i + 2] - bg[2]) > 6)
            ++count;
    return count;
}

struct Placement {
    size_t scan;
    glm::mat4 worldFromModel;
};

}  // namespace

int main(int argc, char** argv) {
    const fs::path work = arg(argc, argv, "--work", "/tmp/vitrine-stream-bench");
    const fs::path corpus = arg(argc, argv, "--corpus", VITRINE_CORPUS_DIR);
    const int pathFrames = std::stoi(arg(argc, argv, "--frames", "24"));
    fs::create_directories(work);
    const Scan scans[] = {
        {"zenobia", "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb", 16},
        {"eagle", "meshes/threedscans-polygonjs/models/resources/threedscans.com/eagle.glb", 8},
        {"whale_cranium", "meshes/iiif3d-assets/assets/whale/whale_cranium.glb", 8},
        {"saxophone", "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb", 8},
        {"venus", "meshes/iiif3d-assets/assets/venus/venus.glb", 8},
    };

    // Convert and import first (both fork) before any GPU or I/O threads exist.
    std::vector<vt::asset::Model> models;
    std::vector<fs::path> packs;
    for (const Scan& scan : scans) {
        const fs::path pack = work / (std::string(scan.name) + ".vpk");
        if (!fs::exists(pack)) {
            auto converted = vt::convert::convertScans({corpus / scan.path}, pack, {});
            if (!converted) {
                std::fprintf(stderr, "%s\n", converted.error().message.c_str());
                return 1;
            }
        }
        auto model = vt::scan::importScan(corpus / scan.path);
        if (!model) {
            std::fprintf(stderr, "%s\n", model.error().message.c_str());
            return 1;
        }
        models.push_back(std::move(*model));
        packs.push_back(pack);
    }

    // The gallery: each scan scaled to about 1.6 m tall, copies along a 4 m-wide hall, 3 m apart.
    std::vector<Placement> gallery;
    size_t totalTriangles = 0;
    int slot = 0;
    for (size_t s = 0; s < std::size(scans); ++s) {
        const vt::Bounds bounds = models[s].bounds();
        const float scale = 1.6f / std::max(bounds.size().y, 1e-6f);
        for (int copy = 0; copy < scans[s].copies; ++copy, ++slot) {
            const float x = (slot % 2 == 0) ? -2.0f : 2.0f;
            const float z = -3.0f * float(slot / 2);
            glm::mat4 m(1.0f);
            m = glm::translate(m, glm::vec3(x, 0.0f, z));
            m = glm::scale(m, glm::vec3(scale));
            m = glm::translate(m, -glm::vec3(bounds.center().x, bounds.min.y, bounds.center().z));
            gallery.push_back({s, m});
            totalTriangles += models[s].triangleCount();
        }
    }
    const float hallLength = 3.0f * float((slot + 1) / 2);

    vt::gpu::ContextOptions contextOptions;
    auto context = vt::gpu::Context::create(contextOptions);
    if (!context) {
        std::fprintf(stderr, "no Vulkan device: %s\n", context.error().message.c_str());
        return 1;
    }
    auto renderer = vt::render::Renderer::create(**context, {});
    if (!renderer) return 1;
    const uint32_t width = 1280, height = 720;
    const float fovY = glm::radians(60.0f), aspect = float(width) / float(height);
    auto viewAt = [&](float t) {
        // Walk down the hall at eye height, looking ahead and slightly toward the left wall.
        vt::scene::View view;
        view.position = glm::vec3(0.0f, 1.6f, 2.0f - t * hallLength);
        view.viewFromWorld = glm::lookAt(view.position, view.position + glm::vec3(-0.25f, -0.05f, -1.0f), glm::vec3(0, 1, 0));
        view.clipFromView = vt::scene::perspectiveReversedZ(fovY, aspect, 0.05f);
        return view;
    };
    vt::scene::Lighting lighting;
    std::printf("device: %s; gallery: %zu artifacts, %zu triangles at full resolution; %dx%d\n\n",
                (*context)->deviceName().c_str(), gallery.size(), totalTriangles, width, height);

    // Full resolution: every artifact's every triangle, every frame.
    std::vector<vt::render::GpuModel> gpuModels;
    for (const vt::asset::Model& model : models) gpuModels.push_back((*renderer)->upload(model));
    std::vector<vt::render::DrawItem> items;
    for (const Placement& p : gallery) items.push_back({&gpuModels[p.scan], p.worldFromModel});
    std::vector<double> fullTimes;
    size_t fullCovered = 0;
    for (int i = 0; i < 3; ++i) {
        const vt::scene::View view = viewAt(0.5f);
        const auto start = Clock::now();
        vt::render::FrameInput input{std::span(&view, 1), items, {}, &lighting};
        auto frame = vt::render::renderHeadless(**context, **renderer, input, {width, height});
        fullTimes.push_back(seconds(start));
        fullCovered = coveredPixels(frame.views[0]);
    }
    std::ranges::sort(fullTimes);
    gpuModels.clear();
    (*context)->waitIdle();

    // Streaming: the same gallery from packs on disk, along the camera path.
    vt::stream::StreamingScene scene;
    vt::stream::GpuStreamer streamer(**context, **renderer, scene);
    for (const Placement& p : gallery) {
        auto source = vt::pack::openFile(packs[p.scan]);
        if (!source) return 1;
        streamer.add(std::move(*source), packs[p.scan].string(), p.worldFromModel, [pack = packs[p.scan]] {
            return vt::pack::openFile(pack);
        });
    }
    std::vector<double> frameTimes;
    double longestFrame = 0.0, sumTrianglesPerPixel = 0.0;
    uint64_t maxTriangles = 0;
    int measured = 0;
    const auto streamStart = Clock::now();
    for (int i = 0; i < pathFrames + 200; ++i) {
        // First wait at the start of the path until settled (opening), then walk it.
        const bool walking = i >= 200 || scene.settled();
        const float t = walking ? 0.5f * float(measured) / float(std::max(pathFrames - 1, 1)) : 0.0f;
        const vt::scene::View view = viewAt(t);
        const auto start = Clock::now();
        scene.update(std::span(&view, 1), {width, height});
        auto draws = streamer.prepareFrame(32ull << 20);
        vt::render::FrameInput input{std::span(&view, 1), {}, draws, &lighting};
        auto frame = vt::render::renderHeadless(**context, **renderer, input, {width, height});
        const double elapsed = seconds(start);
        if (!walking) continue;
        frameTimes.push_back(elapsed);
        longestFrame = std::max(longestFrame, elapsed);
        const auto stats = scene.stats();
        maxTriangles = std::max<uint64_t>(maxTriangles, stats.trianglesDrawn);
        sumTrianglesPerPixel += double(stats.trianglesDrawn) / double(std::max<size_t>(coveredPixels(frame.views[0]), 1));
        if (++measured >= pathFrames) break;
    }
    std::ranges::sort(frameTimes);
    const auto stats = scene.stats();
    std::printf("| gallery (%zu triangles) | frame time median | longest frame | triangles drawn | triangles per covered pixel |\n",
                totalTriangles);
    std::printf("|---|---|---|---|---|\n");
    std::printf("| full resolution | %.3f s | %.3f s | %zu | %.2f |\n", fullTimes[1], fullTimes.back(), totalTriangles,
                double(totalTriangles) / double(std::max<size_t>(fullCovered, 1)));
    std::printf("| streaming LOD (1 px) | %.3f s | %.3f s | %llu (max) | %.2f (mean over %d frames) |\n",
                frameTimes[frameTimes.size() / 2], longestFrame, (unsigned long long)maxTriangles,
                sumTrianglesPerPixel / std::max(measured, 1), measured);
    std::printf("\nratios: frame time %.1fx faster streamed (median); %.0fx fewer triangles; streaming opened and "
                "settled in %.2f s, %.1f MiB fetched, %.1f MiB resident on the GPU\n\n",
                fullTimes[1] / frameTimes[frameTimes.size() / 2], double(totalTriangles) / double(std::max<uint64_t>(maxTriangles, 1)),
                stats.timeToSettledSeconds, double(stats.bytesFetched) / 1048576.0, double(stats.residentGpuBytes) / 1048576.0);
    (void)streamStart;

    // Throttled HTTP: one artifact at a time from nginx at 1 MB/s vs downloading its GLB first (as the
    // museum publishes it: zenobia is Draco-compressed, the whale is a plain GLB with 2048² maps).
    const fs::path served = work / "served";
    fs::create_directories(served);
    for (size_t s : {size_t(0), size_t(2)}) {
        fs::copy_file(packs[s], served / (std::string(scans[s].name) + ".vpk"), fs::copy_options::overwrite_existing);
        fs::copy_file(corpus / scans[s].path, served / (std::string(scans[s].name) + ".glb"),
                      fs::copy_options::overwrite_existing);
    }
    auto nginx = vt::net::test::NginxServer::start(served, work / "nginx");
    if (!nginx) {
        std::fprintf(stderr, "nginx: %s\n", nginx.error().message.c_str());
        return 1;
    }
    std::printf("| from nginx at 1 MB/s | GLB size | download GLB | pack: first frame (bytes) | pack: settled (fetched) | longest frame update | first frame sooner |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    for (size_t s : {size_t(0), size_t(2)}) {
        const std::string name = scans[s].name;
        const auto downloadStart = Clock::now();
        auto glb = vt::net::HttpSource::open((*nginx)->slowUrl(name + ".glb"));
        if (!glb) return 1;
        auto glbBytes = (*glb)->read(0, (*glb)->size());
        const double downloadSeconds = seconds(downloadStart);
        const uint64_t glbSize = glbBytes ? glbBytes->size() : 0;

        vt::stream::StreamingScene remote;
        vt::stream::GpuStreamer remoteStreamer(**context, **renderer, remote);
        const std::string url = (*nginx)->slowUrl(name + ".vpk");
        // One connection: nginx's limit_rate throttles each connection, and a rural link is one pipe;
        // parallel requests would multiply the bandwidth and flatter the streamed numbers.
        vt::net::HttpOptions oneLink;
        oneLink.maxConnections = 1;
        auto source = vt::net::HttpSource::open(url, oneLink);
        if (!source) return 1;
        const vt::Bounds bounds = models[s].bounds();
        remoteStreamer.add(std::move(*source), url, glm::mat4(1.0f), nullptr);
        const vt::scene::View view =
            vt::scene::orbitView(vt::scene::frameBounds(bounds, fovY, aspect, 0.0f, 10.0f), fovY, aspect);
        double longestRemoteFrame = 0.0;
        // What the first frame needs: the header and directory, then the root page.
        uint64_t bytesAtFirstDraw = 0;
        if (auto local = vt::pack::openFile(packs[s])) {
            if (auto reader = vt::pack::PackReader::open(**local, packs[s].string()))
                bytesAtFirstDraw = reader->pages()[0].offset + reader->pages()[0].compressedBytes;
        }
        const auto remoteStart = Clock::now();
        while (!remote.settled() && seconds(remoteStart) < 120.0) {
            const auto start = Clock::now();
            remote.update(std::span(&view, 1), {width, height});
            remoteStreamer.prepareFrame(32ull << 20);
            longestRemoteFrame = std::max(longestRemoteFrame, seconds(start));
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        const auto remoteStats = remote.stats();
        std::printf("| %s | %.2f MB | %.2f s | %.3f s (%.0f KB) | %.2f s (%.0f KB) | %.4f s | %.1fx (bytes %.1fx) |\n",
                    name.c_str(), double(glbSize) / 1e6, downloadSeconds, remoteStats.timeToFirstDrawSeconds,
                    double(bytesAtFirstDraw) / 1e3, remoteStats.timeToSettledSeconds,
                    double(remoteStats.bytesFetched) / 1e3, longestRemoteFrame,
                    downloadSeconds / std::max(remoteStats.timeToFirstDrawSeconds, 1e-6),
                    double(glbSize) / double(std::max<uint64_t>(bytesAtFirstDraw, 1)));
    }
    return 0;
}
