// Streaming benchmark (a program, not a test): prints tables and ratios measured in one run, every
// row from at least --runs runs interleaved between the two sides (A B, B A, A B, ...), as
// min / median / max. A run that fails prints FAILED with the reason and the program exits 1.
//
// 1. A gallery of real corpus scans, many copies, more than 10M triangles in all, at 1280x720 on
//    whatever Vulkan device is present (lavapipe here), along a camera path. Both sides draw the
//    packs' clusters through the same path (StreamingScene + GpuStreamer, per-cluster frustum
//    culling, the same materials and textures), so the ratio measures LOD alone:
//      - full resolution: the finest level's clusters (threshold < 0 keeps level 0 everywhere);
//      - streaming LOD at 1 px of screen-space error.
//    At each point of the path both wait (untimed) until streamed pages and textures have settled,
//    then one frame is timed: update() + prepareFrame() + render + readback.
// 2. One artifact at a time over a slow link: our own throttling proxy (throttle_proxy.h: one
//    token bucket shared by every connection, throttling from the first byte, plus a latency per
//    request) in front of nginx on loopback. The pack as a viewer streams it (first frame, geometry
//    settled at 1 px, textures loaded) vs downloading the same scan's GLB (as the museum publishes
//    it). The GLB's time is its download alone: parsing, decoding and uploading it come on top, so
//    the GLB's numbers are a lower bound. The link's delivered throughput is measured and printed.
//
// usage: stream_bench [--work DIR] [--corpus DIR] [--frames N] [--runs N] [--links MBIT:MS,...]
//                     [--parts gallery,http] [--gpu-budget-mib N]

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <format>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "spread.h"
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
#include "throttle_proxy.h"
#include "tools/scan/import.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Longest a run may wait for streaming to settle before it counts as failed, seconds.
constexpr double kSettleTimeoutSeconds = 300.0;
// How far the link's measured throughput may stray from the configured rate before the bench fails.
constexpr double kLinkTolerance = 0.05;
// Upload budget per frame, bytes (what the viewer uses).
constexpr uint64_t kUploadBytesPerFrame = 32ull << 20;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, separator);)
        if (!part.empty()) parts.push_back(part);
    return parts;
}

std::string format3(const Spread& s, const char* unitFormat = "{:.3f}") {
    return std::vformat(std::string(unitFormat) + " / " + unitFormat + " / " + unitFormat,
                        std::make_format_args(s.min, s.median, s.max));
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

// One side of the gallery comparison: a streaming scene over every placed pack, with its settings.
struct GallerySide {
    std::string name;
    std::unique_ptr<vt::stream::StreamingScene> scene;
    std::unique_ptr<vt::stream::GpuStreamer> streamer;
    // Per run: the median and longest timed frame, triangles drawn (median over the path), triangles
    // per covered pixel (mean over the path), the longest update() seen while settling.
    std::vector<double> medianFrame, longestFrame, triangles, trianglesPerPixel, longestUpdate;
    std::vector<double> residentMiB;
    std::vector<std::string> failures;
    // The first run's first point: from the first update() (the opens start there) to settled.
    double openSeconds = -1.0;
    uint64_t openBytes = 0;
};

struct LinkRun {
    bool ok = false;
    std::string failure;
    double firstFrame = 0, geometrySettled = 0, texturesDone = 0, allSettled = 0;
    double firstTextured = 0;  // pack: the first frame whose every texture had a level on the GPU
    // pack: CPU time of each frame (update() + prepareFrame()) while pages and texture levels
    // arrive: the median, seconds (longestUpdate below is the longest).
    double medianUpdate = 0;
    uint64_t linkBytes = 0;
    uint64_t geometryBytes = 0;  // pack only: what the streaming scene read (header, directory, pages)
    size_t textures = 0;         // pack only: textures in the pack
    double linkBytesPerSecond = 0;
    double clientBytesPerSecond = 0;  // GLB only: bytes the read fetched / (read time - one request latency)
    double longestUpdate = 0;
    uint32_t connections = 0;
};

// What the link carried for a run, as the proxy measured it; the run is ok when nothing failed.
LinkRun finishRun(LinkRun run, const vt::bench::ThrottleProxy& proxy) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the proxy log the last chunks
    const vt::bench::LinkMeasurement m = proxy.measurement();
    run.linkBytes = m.bytes;
    run.linkBytesPerSecond = m.bytesPerSecond();
    run.connections = m.connections;
    run.ok = run.failure.empty();
    return run;
}

// Streams one pack over the link until geometry has settled at 1 px and its textures are loaded.
LinkRun streamPack(vt::gpu::Context& context, vt::render::Renderer& renderer, vt::bench::ThrottleProxy& proxy,
                   const std::string& file, const vt::Bounds& bounds, float fovY, float aspect, glm::uvec2 viewport) {
    LinkRun run;
    proxy.resetMeasurement();
    const std::string url = proxy.url(file);
    const auto start = Clock::now();
    auto source = vt::net::HttpSource::open(url);
    if (!source) {
        run.failure = source.error().message;
        return run;
    }
    const double openSeconds = seconds(start);
    {
        vt::stream::StreamingScene scene;
        vt::stream::GpuStreamer streamer(context, renderer, scene);
        const vt::stream::ArtifactId id = streamer.add(std::move(*source), url, glm::mat4(1.0f));
        const vt::scene::View view =
            vt::scene::orbitView(vt::scene::frameBounds(bounds, fovY, aspect, 0.0f, 10.0f), fovY, aspect);
        bool opened = false;
        std::vector<double> updates;
        for (;;) {
            const auto frameStart = Clock::now();
            scene.update(std::span(&view, 1), viewport);
            streamer.prepareFrame(kUploadBytesPerFrame);
            updates.push_back(seconds(frameStart));
            run.longestUpdate = std::max(run.longestUpdate, updates.back());
            if (run.firstTextured == 0 && scene.reader(id) && !scene.reader(id)->textures().empty() &&
                streamer.stats().texturesLoaded == scene.reader(id)->textures().size())
                run.firstTextured = seconds(start);
            // prepareFrame sets up materials and starts the texture load in the frame the artifact opens.
            opened = opened || scene.status(id).state == vt::stream::ArtifactState::Open;
            if (scene.status(id).state == vt::stream::ArtifactState::Failed) {
                run.failure = "the pack failed to open";
                break;
            }
            if (opened && run.texturesDone == 0 && !streamer.texturesPending()) run.texturesDone = seconds(start);
            if (scene.settled() && run.texturesDone > 0) break;
            if (seconds(start) > kSettleTimeoutSeconds) {
                run.failure = std::format("not settled after {:.0f} s", kSettleTimeoutSeconds);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        run.medianUpdate = updates.empty() ? 0.0 : spread(updates).median;
        const auto stats = scene.stats();
        const auto status = scene.status(id);
        for (std::string& error : scene.takeErrors()) run.failure += (run.failure.empty() ? "" : "; ") + error;
        if (run.failure.empty() && stats.failedRequests > 0) run.failure = std::format("{} requests failed", stats.failedRequests);
        if (run.failure.empty() && scene.reader(id) && streamer.stats().texturesLoaded != scene.reader(id)->textures().size())
            run.failure = std::format("{} of {} textures loaded", streamer.stats().texturesLoaded, scene.reader(id)->textures().size());
        run.geometryBytes = stats.bytesFetched;
        if (scene.reader(id)) run.textures = scene.reader(id)->textures().size();
        run.firstFrame = openSeconds + status.timeToFirstDrawSeconds;
        run.geometrySettled = openSeconds + status.timeToSettledSeconds;
        run.allSettled = std::max(run.geometrySettled, run.texturesDone);
    }
    return finishRun(run, proxy);
}

// Downloads one GLB over the link (open's first 64 KiB, then one range request for the rest).
LinkRun downloadGlb(vt::bench::ThrottleProxy& proxy, const std::string& file, uint64_t expectedBytes) {
    LinkRun run;
    proxy.resetMeasurement();
    const auto start = Clock::now();
    auto glb = vt::net::HttpSource::open(proxy.url(file));
    if (!glb) {
        run.failure = glb.error().message;
        return run;
    }
    const uint64_t held = (*glb)->heldPrefixBytes();  // open's request brought these; the read fetches the rest
    const auto readStart = Clock::now();
    auto bytes = (*glb)->read(0, (*glb)->size());
    const double readSeconds = seconds(readStart);
    run.allSettled = run.firstFrame = run.geometrySettled = run.texturesDone = run.firstTextured = seconds(start);
    if (!bytes) run.failure = bytes.error().message;
    else if (bytes->size() != expectedBytes) run.failure = std::format("{} bytes, expected {}", bytes->size(), expectedBytes);
    const double latency = std::chrono::duration<double>(proxy.link().requestLatency).count();
    if (bytes) run.clientBytesPerSecond = double(bytes->size() - held) / std::max(readSeconds - latency, 1e-6);
    glb->reset();
    return finishRun(run, proxy);
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path work = arg(argc, argv, "--work", "/tmp/vitrine-stream-bench");
    const fs::path corpus = arg(argc, argv, "--corpus", VITRINE_CORPUS_DIR);
    const int pathFrames = std::max(2, std::stoi(arg(argc, argv, "--frames", "12")));
    const int runs = std::stoi(arg(argc, argv, "--runs", "3"));
    const std::string parts = arg(argc, argv, "--parts", "gallery,http");
    const uint64_t gpuBudget = std::stoull(arg(argc, argv, "--gpu-budget-mib", "4096")) << 20;
    struct Link {
        double megabitsPerSecond;
        int latencyMs;
    };
    std::vector<Link> links;
    for (const std::string& text : split(arg(argc, argv, "--links", "8:100,2:100"), ',')) {
        const auto fields = split(text, ':');
        links.push_back({std::stod(fields.at(0)), fields.size() > 1 ? std::stoi(fields[1]) : 0});
    }
    if (runs < 3) std::fprintf(stderr, "note: %d runs per row; published tables need at least 3\n", runs);
    fs::create_directories(work);
    const Scan scans[] = {
        {"zenobia", "meshes/threedscans-polygonjs/models/resources/threedscans.com/zenobia_in_chains.glb", 16},
        {"eagle", "meshes/threedscans-polygonjs/models/resources/threedscans.com/eagle.glb", 8},
        {"whale_cranium", "meshes/iiif3d-assets/assets/whale/whale_cranium.glb", 8},
        {"saxophone", "meshes/iiif3d-assets/assets/saxophone/saxophone_draco.glb", 8},
        {"venus", "meshes/iiif3d-assets/assets/venus/venus.glb", 8},
    };
    bool failed = false;

    // Convert and import first (both fork) before any GPU or I/O threads exist.
    std::vector<vt::asset::Model> models;
    std::vector<fs::path> packs;
    for (const Scan& scan : scans) {
        const fs::path pack = work / (std::string(scan.name) + ".vpk");
        // A pack left in the work folder by an older build may be of an older format: convert again.
        auto cached = vt::pack::openFile(pack);
        const bool current = cached && vt::pack::PackReader::open(**cached, pack.string()).has_value();
        if (!current) {
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
    vt::scene::Lighting lighting;

    if (parts.find("gallery") != std::string::npos) {
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
        auto viewAt = [&](float t) {
            // Walk down the hall at eye height, looking ahead and slightly toward the left wall.
            vt::scene::View view;
            view.position = glm::vec3(0.0f, 1.6f, 2.0f - t * hallLength);
            view.viewFromWorld =
                glm::lookAt(view.position, view.position + glm::vec3(-0.25f, -0.05f, -1.0f), glm::vec3(0, 1, 0));
            view.clipFromView = vt::scene::perspectiveReversedZ(fovY, aspect, 0.05f);
            return view;
        };
        std::printf("device: %s; gallery: %zu artifacts, %zu triangles at full resolution; %ux%u; %d runs x %d "
                    "frames along the path, sides alternating\n\n",
                    (*context)->deviceName().c_str(), gallery.size(), totalTriangles, width, height, runs, pathFrames);

        // Both sides: the same packs, placements, budgets, materials and textures; only the threshold
        // differs. A negative threshold makes every group "coarse" and no level-0 cluster "fine
        // enough", so exactly the finest level is drawn (lod_cut.h), culled per cluster like the LOD.
        std::vector<GallerySide> sides(2);
        for (int i = 0; i < 2; ++i) {
            vt::stream::StreamOptions options;
            options.pixelErrorThreshold = i == 0 ? -1.0f : 1.0f;
            options.gpuBudgetBytes = gpuBudget;
            sides[i].name = i == 0 ? "full resolution (finest level, per-cluster culling)" : "streaming LOD (1 px)";
            sides[i].scene = std::make_unique<vt::stream::StreamingScene>(options);
            sides[i].streamer = std::make_unique<vt::stream::GpuStreamer>(**context, **renderer, *sides[i].scene);
            for (const Placement& p : gallery) {
                auto source = vt::pack::openFile(packs[p.scan]);
                if (!source) {
                    std::fprintf(stderr, "%s\n", source.error().message.c_str());
                    return 1;
                }
                sides[i].streamer->add(std::move(*source), packs[p.scan].string(), p.worldFromModel);
            }
        }

        // One run of one side: settle (untimed) at each point of the path, then time one frame there.
        auto walk = [&](GallerySide& side) {
            std::vector<double> frames, triangles;
            double perPixel = 0.0, longestUpdate = 0.0;
            for (int f = 0; f < pathFrames; ++f) {
                const vt::scene::View view = viewAt(0.5f * float(f) / float(pathFrames - 1));
                const auto settleStart = Clock::now();
                for (;;) {
                    const auto start = Clock::now();
                    side.scene->update(std::span(&view, 1), {width, height});
                    longestUpdate = std::max(longestUpdate, seconds(start));
                    side.streamer->prepareFrame(kUploadBytesPerFrame);
                    if (side.scene->settled() && !side.streamer->texturesPending()) break;
                    if (seconds(settleStart) > kSettleTimeoutSeconds) {
                        side.failures.push_back(std::format("not settled after {:.0f} s at frame {}", kSettleTimeoutSeconds, f));
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
                if (side.openSeconds < 0) {
                    side.openSeconds = seconds(settleStart);
                    side.openBytes = side.scene->stats().bytesFetched;
                }
                const auto start = Clock::now();
                side.scene->update(std::span(&view, 1), {width, height});
                auto draws = side.streamer->prepareFrame(kUploadBytesPerFrame);
                vt::render::FrameInput input{std::span(&view, 1), {}, draws, &lighting};
                auto frame = vt::render::renderHeadless(**context, **renderer, input, {width, height});
                frames.push_back(seconds(start));
                const auto stats = side.scene->stats();
                triangles.push_back(double(stats.trianglesDrawn));
                perPixel += double(stats.trianglesDrawn) / double(std::max<size_t>(coveredPixels(frame.views[0]), 1));
                for (std::string& error : side.scene->takeErrors()) side.failures.push_back(error);
            }
            side.medianFrame.push_back(spread(frames).median);
            side.longestFrame.push_back(spread(frames).max);
            side.triangles.push_back(spread(triangles).median);
            side.trianglesPerPixel.push_back(perPixel / pathFrames);
            side.longestUpdate.push_back(longestUpdate);
            side.residentMiB.push_back(double(side.scene->stats().residentGpuBytes) / 1048576.0);
        };
        std::printf("| run | side | frame time median | longest frame | triangles drawn (median) |\n|---|---|---|---|---|\n");
        for (int run = 0; run < runs; ++run) {
            for (int k = 0; k < 2; ++k) {
                GallerySide& side = sides[(run + k) % 2];  // A B, B A, A B, ...
                const size_t before = side.failures.size();
                walk(side);
                if (side.failures.size() > before) {
                    std::printf("| %d | %s | FAILED: %s | | |\n", run + 1, side.name.c_str(), side.failures.back().c_str());
                    failed = true;
                } else {
                    std::printf("| %d | %s | %.3f s | %.3f s | %.0f |\n", run + 1, side.name.c_str(), side.medianFrame.back(),
                                side.longestFrame.back(), side.triangles.back());
                }
                std::fflush(stdout);
            }
        }
        std::printf("\n| gallery (%zu triangles), %d runs | frame time median, s (min / median / max over runs) | "
                    "longest frame, s | triangles drawn | triangles per covered pixel | longest update(), s | resident GPU MiB |\n",
                    totalTriangles, runs);
        std::printf("|---|---|---|---|---|---|---|\n");
        for (const GallerySide& side : sides) {
            if (side.medianFrame.empty()) continue;
            std::printf("| %s | %s | %s | %.0f | %.2f | %.4f | %.0f |\n", side.name.c_str(), format3(spread(side.medianFrame)).c_str(),
                        format3(spread(side.longestFrame)).c_str(), spread(side.triangles).median,
                        spread(side.trianglesPerPixel).median, spread(side.longestUpdate).max, spread(side.residentMiB).max);
        }
        if (!sides[0].medianFrame.empty() && !sides[1].medianFrame.empty()) {
            std::printf("\nratios (medians over runs): frame time %.1fx faster streamed; %.0fx fewer triangles drawn",
                        spread(sides[0].medianFrame).median / spread(sides[1].medianFrame).median,
                        spread(sides[0].triangles).median / std::max(spread(sides[1].triangles).median, 1.0));
            std::printf("\n");
            for (const GallerySide& side : sides)
                std::printf("%s: opened and settled at the path's start (first run) in %.2f s, %.1f MiB read from the packs\n",
                            side.name.c_str(), side.openSeconds, double(side.openBytes) / 1048576.0);
            std::printf("\n");
        }
        std::fflush(stdout);
    }

    if (parts.find("http") != std::string::npos) {
        // One artifact at a time over the link (as the museum publishes it: zenobia's GLB is
        // Draco-compressed, the whale's is a plain GLB with 2048² maps).
        const fs::path served = work / "served";
        fs::create_directories(served);
        // Two untextured scans and a textured one (four 2048x2048 maps).
        const size_t remoteScans[] = {0, 2, 3};
        std::map<size_t, uint64_t> glbBytes;
        for (size_t s : remoteScans) {
            fs::copy_file(packs[s], served / (std::string(scans[s].name) + ".vpk"), fs::copy_options::overwrite_existing);
            fs::copy_file(corpus / scans[s].path, served / (std::string(scans[s].name) + ".glb"),
                          fs::copy_options::overwrite_existing);
            glbBytes[s] = fs::file_size(served / (std::string(scans[s].name) + ".glb"));
        }
        auto nginx = vt::net::test::NginxServer::start(served, work / "nginx");
        if (!nginx) {
            std::fprintf(stderr, "nginx: %s\n", nginx.error().message.c_str());
            return 1;
        }
        // "http://127.0.0.1:PORT/": the unthrottled location; the proxy is the only throttle.
        const std::string base = (*nginx)->url("");
        const uint16_t nginxPort = uint16_t(std::stoi(base.substr(base.rfind(':') + 1)));
        std::printf("| link | artifact | tool | first frame, s | first textured frame, s | geometry settled (1 px), s | "
                    "textures at the level the screen needs, s | all settled, s | bytes over the link (geometry) | "
                    "connections | link throughput measured, B/s | CPU frame while streaming, median / longest, ms |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        std::vector<std::string> summary;
        for (const Link& link : links) {
            vt::bench::LinkOptions options{link.megabitsPerSecond * 1e6 / 8.0, std::chrono::milliseconds(link.latencyMs)};
            auto proxy = vt::bench::ThrottleProxy::start(nginxPort, options);
            if (!proxy) {
                std::fprintf(stderr, "%s\n", proxy.error().message.c_str());
                return 1;
            }
            const std::string linkName = std::format("{:g} Mbit/s, {} ms", link.megabitsPerSecond, link.latencyMs);
            // results[scan][tool]: tool 0 = pack, 1 = GLB
            std::map<size_t, std::array<std::vector<LinkRun>, 2>> results;
            for (int run = 0; run < runs; ++run) {
                for (size_t s : remoteScans) {
                    for (int k = 0; k < 2; ++k) {
                        const int tool = (run + k) % 2;  // pack GLB, GLB pack, ...
                        const std::string name = scans[s].name;
                        LinkRun r = tool == 0 ? streamPack(**context, **renderer, **proxy, name + ".vpk", models[s].bounds(),
                                                           fovY, aspect, {width, height})
                                              : downloadGlb(**proxy, name + ".glb", glbBytes[s]);
                        if (!r.ok) {
                            std::printf("| %s | %s | %s | FAILED (run %d): %s | | | | | | | | |\n", linkName.c_str(), name.c_str(),
                                        tool == 0 ? "pack" : "GLB", run + 1, r.failure.c_str());
                            std::fflush(stdout);
                            failed = true;
                        }
                        results[s][tool].push_back(std::move(r));
                    }
                }
            }
            std::vector<double> packRates, glbRates, glbClientRates;
            for (size_t s : remoteScans) {
                std::array<Spread, 2> first, settled, firstTextured;
                std::array<bool, 2> have{};
                for (int tool = 0; tool < 2; ++tool) {
                    std::vector<double> f, ft, g, t, a, bytes, geometry, rate, connections, medianUpdate, longestUpdate;
                    size_t textures = 0;
                    for (const LinkRun& r : results[s][tool]) {
                        if (!r.ok) continue;
                        f.push_back(r.firstFrame);
                        ft.push_back(r.firstTextured);
                        medianUpdate.push_back(r.medianUpdate * 1e3);
                        longestUpdate.push_back(r.longestUpdate * 1e3);
                        g.push_back(r.geometrySettled);
                        t.push_back(r.texturesDone);
                        a.push_back(r.allSettled);
                        bytes.push_back(double(r.linkBytes));
                        geometry.push_back(double(r.geometryBytes));
                        textures = r.textures;
                        rate.push_back(r.linkBytesPerSecond);
                        connections.push_back(r.connections);
                        (tool == 0 ? packRates : glbRates).push_back(r.linkBytesPerSecond);
                        if (tool == 1) glbClientRates.push_back(r.clientBytesPerSecond);
                    }
                    if (f.empty()) continue;
                    have[tool] = true;
                    first[tool] = spread(f);
                    settled[tool] = spread(a);
                    const std::string bytesText = tool == 0 ? std::format("{:.0f} ({:.0f})", spread(bytes).median, spread(geometry).median)
                                                            : std::format("{:.0f}", spread(bytes).median);
                    const std::string texturesText = tool == 1 ? "(all at once)"
                                                     : textures == 0 ? "(no textures)"
                                                                     : format3(spread(t), "{:.2f}");
                    const std::string texturedText = textures == 0 && tool == 0 ? "(no textures)" : format3(spread(ft), "{:.2f}");
                    const std::string cpuText =
                        tool == 1 ? "" : std::format("{:.2f} / {:.2f} (worst run's longest: {:.2f} above the median)",
                                                     spread(medianUpdate).median, spread(longestUpdate).median,
                                                     spread(longestUpdate).max - spread(medianUpdate).median);
                    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |\n", linkName.c_str(),
                                scans[s].name, tool == 0 ? "pack" : "GLB download", format3(spread(f), "{:.2f}").c_str(),
                                texturedText.c_str(), tool == 0 ? format3(spread(g), "{:.2f}").c_str() : "(all at once)",
                                texturesText.c_str(), format3(spread(a), "{:.2f}").c_str(), bytesText.c_str(),
                                spread(connections).median, format3(spread(rate), "{:.0f}").c_str(), cpuText.c_str());
                    if (tool == 0 && textures > 0) firstTextured[0] = spread(ft);
                    if (tool == 1) firstTextured[1] = spread(ft);
                }
                if (have[0] && have[1] && firstTextured[0].median > 0)
                    summary.push_back(std::format("  {}, {}: first textured frame {:.1f}x sooner streamed ({:.2f} s; the GLB {:.2f} s)",
                                                  linkName, scans[s].name, firstTextured[1].median / firstTextured[0].median,
                                                  firstTextured[0].median, firstTextured[1].median));
                if (have[0] && have[1])
                    summary.push_back(std::format("  {}, {}: first frame {:.1f}x sooner streamed; everything settled (geometry and "
                                                  "textures) in {:.2f}x the GLB's download time (medians)",
                                                  linkName, scans[s].name, first[1].median / first[0].median,
                                                  settled[0].median / settled[1].median));
            }
            // The link must deliver what it was configured to, for both tools.
            const double configured = options.bytesPerSecond;
            for (const auto& [label, rates] : {std::pair<const char*, std::vector<double>*>{"pack runs, at the proxy", &packRates},
                                               {"GLB runs, at the proxy", &glbRates},
                                               {"GLB runs, at the client: bytes read / (read time - latency)", &glbClientRates}}) {
                if (rates->empty()) continue;
                const Spread r = spread(*rates);
                const double off = r.median / configured - 1.0;
                const bool ok = std::abs(off) <= kLinkTolerance;
                summary.push_back(std::format("  {}: configured {:.0f} B/s; measured ({}) {} B/s, median {:+.1f}%{}", linkName,
                                              configured, label, format3(r, "{:.0f}"), 100.0 * off,
                                              ok ? "" : "  FAILED: off by more than 5%"));
                failed = failed || !ok;
            }
        }
        std::printf("\n");
        for (const std::string& line : summary) std::printf("%s\n", line.c_str());
    }
    if (failed) {
        std::printf("\nFAILED: at least one run failed (see above)\n");
        return 1;
    }
    return 0;
}
