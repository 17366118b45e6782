// What shadows cost: the sample gallery at 1280x720 (4x MSAA) from the entrance and every tour stop,
// settled, timed per frame with every shadow off, then adding one feature at a time through the
// renderer's quality switch: spot shadows (cached maps: a still gallery renders no shadow pass), the
// key light's shadow (cached), contact shadows low and high (a depth prepass and a march per pixel),
// and everything on with every map re-rendered each frame (the worst case: something moves in every
// light's view). Frame time is the whole headless frame (record, GPU, readback), median of kFrames.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>

#include "asset/image_io.h"
#include "exhibit/exhibit.h"
#include "gallery/entrance.h"
#include "gallery/exhibit_scene.h"
#include "render/headless.h"

namespace {

constexpr uint32_t kWidth = 1280, kHeight = 720;
constexpr int kFrames = 15;
constexpr double kSettleSeconds = 60.0;

vt::scene::View poseView(const vt::exhibit::CameraPose& pose, float fovDegrees) {
    vt::scene::View view;
    view.viewFromWorld = glm::lookAt(pose.position, pose.target, glm::vec3(0, 1, 0));
    view.clipFromView = vt::scene::perspectiveReversedZ(glm::radians(fovDegrees), float(kWidth) / float(kHeight), 0.05f);
    view.position = pose.position;
    return view;
}

struct Mode {
    const char* name;
    vt::render::QualitySettings quality;
    bool rerender = false;  // move every light a hundredth of a millimetre: every map is stale
};

constexpr vt::render::Quality kOff = vt::render::Quality::Off, kLow = vt::render::Quality::Low,
                              kHigh = vt::render::Quality::High;
const Mode kModes[] = {
    {"off", {kOff, kOff, kOff}},
    {"spots", {kHigh, kOff, kOff}},
    {"+key", {kHigh, kHigh, kOff}},
    {"+contact low", {kHigh, kHigh, kLow}},
    {"+contact high", {kHigh, kHigh, kHigh}},
    {"all rerender", {kHigh, kHigh, kHigh}, true},
};
constexpr size_t kModeCount = std::size(kModes);

}  // namespace

// usage: shadow_bench [EXHIBIT] [--pictures DIR]: DIR receives each pose's last frame per mode
// (pose-N-MODE.png), to look at what each feature does.
int main(int argc, char** argv) {
    std::string exhibitPath = VITRINE_SAMPLE_EXHIBIT, picturesDir;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--pictures" && i + 1 < argc)
            picturesDir = argv[++i];
        else
            exhibitPath = argv[i];
    }
    vt::exhibit::ParseResult parsed = vt::exhibit::loadExhibit(exhibitPath);
    if (!parsed.usable) {
        std::fprintf(stderr, "%s: not usable\n", exhibitPath.c_str());
        return 1;
    }
    auto context = vt::gpu::Context::create({});
    if (!context) {
        std::fprintf(stderr, "%s\n", context.error().message.c_str());
        return 1;
    }
    auto renderer = vt::render::Renderer::create(**context, {});
    auto scene = vt::gallery::ExhibitScene::create(**context, **renderer, std::move(parsed.exhibit), exhibitPath);
    if (!renderer || !scene) return 1;

    std::vector<std::pair<std::string, vt::scene::View>> poses{
        {"entrance", poseView(vt::gallery::entrance((*scene)->exhibit()), 60.0f)}};
    int stopNumber = 0;
    for (const auto& stop : (*scene)->exhibit().tour.stops)
        poses.emplace_back("stop " + std::to_string(++stopNumber),
                           poseView(stop.camera, stop.camera.fieldOfViewDegrees.value_or(60.0f)));

    std::printf("%-10s %6s %8s", "pose", "spots", "shadowed");
    for (const Mode& mode : kModes) std::printf(" %14s", mode.name);
    std::printf("   (ms; maps rendered in %d frames: spot layers / key)\n", kFrames);
    for (size_t pose = 0; pose < poses.size(); ++pose) {
        auto& [name, view] = poses[pose];
        const std::span<const vt::scene::View> views(&view, 1);
        const auto start = std::chrono::steady_clock::now();
        vt::render::FrameInput input;
        do {
            input = (*scene)->prepareFrame(views, {kWidth, kHeight});
            vt::render::renderHeadless(**context, **renderer, input, {kWidth, kHeight});
        } while (!(*scene)->settled() &&
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < kSettleSeconds);

        // The modes take turns frame by frame, so a busy machine slows them alike. The re-render
        // frames move every light by a hundredth of a millimetre (the picture stays, every map is
        // stale); the other frames keep the last offset, so the caches hold.
        std::array<std::vector<double>, kModeCount> ms;
        std::array<uint32_t, kModeCount> spotRenders{}, keyRenders{};
        float offset = 0.0f;
        for (int frame = 0; frame < kFrames + 1; ++frame)
            for (size_t m = 0; m < kModeCount; ++m) {
                const Mode& mode = kModes[m];
                if (mode.rerender) offset = float(frame + 1) * 1e-5f;
                (*renderer)->setQuality(mode.quality);
                input = (*scene)->prepareFrame(views, {kWidth, kHeight});
                vt::scene::Lighting lighting = *input.lighting;
                for (vt::scene::SpotLight& spot : lighting.spots) spot.position.y += offset;
                lighting.sun.direction.x += offset;
                input.lighting = &lighting;
                const auto t0 = std::chrono::steady_clock::now();
                const vt::render::HeadlessFrame result = vt::render::renderHeadless(**context, **renderer, input,
                                                                                    {kWidth, kHeight});
                if (frame == 0) continue;  // warm-up
                ms[m].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                if (frame == kFrames && !picturesDir.empty()) {
                    std::string file = picturesDir + "/pose-" + std::to_string(pose) + "-" + mode.name + ".png";
                    std::ranges::replace(file, ' ', '_');
                    if (!vt::asset::writePng(file, result.views[0])) std::fprintf(stderr, "cannot write %s\n", file.c_str());
                }
                spotRenders[m] += result.stats.shadowMapRenders;
                keyRenders[m] += result.stats.keyShadowRenders;
            }
        auto median = [](std::vector<double> v) {
            std::ranges::sort(v);
            return v[v.size() / 2];
        };
        size_t shadowed = 0;
        for (const auto& spot : input.lighting->spots) shadowed += spot.castsShadow ? 1 : 0;
        std::printf("%-10s %6zu %8zu", name.c_str(), input.lighting->spots.size(), shadowed);
        for (size_t m = 0; m < kModeCount; ++m) std::printf(" %14.1f", median(ms[m]));
        std::printf("   (");
        for (size_t m = 0; m < kModeCount; ++m) std::printf("%s%u/%u", m ? " " : "", spotRenders[m], keyRenders[m]);
        std::printf(")\n");
    }
    return 0;
}
