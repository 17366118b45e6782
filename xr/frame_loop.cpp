#include "xr/frame_loop.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gallery/entrance.h"

namespace vt::xr {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The image was last written by an earlier frame on this queue (or copied for a capture); make those
// writes available before the renderer's layout transition discards them.
void recordPreviousWritesBarrier(VkCommandBuffer commands) {
    constexpr VkPipelineStageFlags2 kAttachmentStages = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT |
                                                        VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT |
                                                        VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
    VkMemoryBarrier2 previous{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    previous.srcStageMask = kAttachmentStages | VK_PIPELINE_STAGE_2_COPY_BIT;
    previous.srcAccessMask = VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
    previous.dstStageMask = kAttachmentStages | VK_PIPELINE_STAGE_2_COPY_BIT;
    previous.dstAccessMask = VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT |
                             VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                             VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT;
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.memoryBarrierCount = 1;
    dependency.pMemoryBarriers = &previous;
    vkCmdPipelineBarrier2(commands, &dependency);
}

}  // namespace

FrameLoop::FrameLoop(const FrameParts& parts, const ComfortSettings& comfort)
    : parts_(parts), comfort_(comfort), slots_(parts.context, gpu::FrameSlots::kWindowed, "xr frame") {}

void FrameLoop::step() {
    OpenXrProgram& program = parts_.program;
    XrFrameWaitInfo waitInfo{XR_TYPE_FRAME_WAIT_INFO};
    XrFrameState state{XR_TYPE_FRAME_STATE};
    XrResult r = xrWaitFrame(program.session(), &waitInfo, &state);
    if (isLoss(r)) return program.lost({"xrWaitFrame", r});
    XR_CHECK_RESULT(program.instance(), r, "xrWaitFrame");
    XrFrameBeginInfo beginInfo{XR_TYPE_FRAME_BEGIN_INFO};
    r = xrBeginFrame(program.session(), &beginInfo);
    if (isLoss(r)) return program.lost({"xrBeginFrame", r});
    XR_CHECK_RESULT(program.instance(), r, "xrBeginFrame");

    std::array<XrCompositionLayerProjectionView, kViewCount> views{};
    const uint64_t waits = parts_.context.blockingWaits();
    const bool rendered = state.shouldRender && program.machine().shouldSubmitLayers() && render(state, views);
    if (parts_.context.blockingWaits() != waits) ++framesStalled_;
    if (program.machine().finished()) return;
    lastDisplayTime_ = state.predictedDisplayTime;
    endFrame(state.predictedDisplayTime, rendered ? &views : nullptr);
    if (program.machine().finished()) return;
    if (rendered) ++framesSubmitted_;
    parts_.tap.afterFrame(false);
}

bool FrameLoop::render(const XrFrameState& state, std::array<XrCompositionLayerProjectionView, kViewCount>& out) {
    const XrTime time = state.predictedDisplayTime;
    // Locate: the head and eyes (a capture waiting for the scene holds a scripted head still).
    const auto located = parts_.headAndHands.locate(time, parts_.tap.holding(framesSubmitted_));
    if (!located) return lost(located.error());
    if (!located->tracked) return false;  // not tracking: submit no layers
    cpuStart_ = Clock::now();
    excluded_ = 0.0;

    placeRig(located->head);
    const float dt = lastDisplayTime_ ? float(double(time - lastDisplayTime_) * 1e-9) : 0.0f;
    // Input before the views are made: teleports and turns move the rig.
    if (!input(time, located->head, dt)) return false;
    const render::FrameInput input = prepareScene(*located, dt);
    const auto commands = record(input);
    if (!commands) return lost(commands.error());
    if (auto alive = submit(); !alive) return lost(alive.error());
    out = parts_.swapchains.projectionViews(located->eyes, located->fovs);
    return true;
}

// The first frame places the visitor at the exhibit's entrance; a recentre puts the head back where and
// how it was in the world.
void FrameLoop::placeRig(const Pose& head) {
    const bool calibrate = !parts_.program.stageSpace() || comfort_.seated;
    if (!rigPlaced_) {
        if (calibrate) rig_.calibrateEyeHeight(head, parts_.exhibit.eyeHeight);
        const exhibit::CameraPose start = gallery::entrance(parts_.exhibit);
        const glm::vec3 look = start.target - start.position;
        rig_.placeHead(head, {start.position.x, start.position.z}, std::atan2(-look.x, -look.z));
        rig_.takeMotion();
        rigPlaced_ = true;
    } else if (recentrePending_) {
        // The tracking space moved under the head.
        if (calibrate) rig_.calibrateEyeHeight(head, parts_.exhibit.eyeHeight);
        rig_.placeHead(head, {lastHeadWorld_.x, lastHeadWorld_.z}, lastHeadYaw_);
        rig_.takeMotion();
        std::printf("xr: recentred at (%.2f, %.2f)\n", lastHeadWorld_.x, lastHeadWorld_.z);
    }
    recentrePending_ = false;
    const glm::mat4 worldFromHead = rig_.worldFromTracking() * head.matrix();
    lastHeadWorld_ = glm::vec3(worldFromHead[3]);
    const glm::vec3 forward = -glm::vec3(worldFromHead[2]);
    lastHeadYaw_ = std::atan2(-forward.x, -forward.z);
}

// The hands through the interaction (teleport, turn, grab, point, the tour's controls); its events go
// to stdout as they happen.
bool FrameLoop::input(XrTime time, const Pose& head, float dt) {
    const Clock::time_point t0 = Clock::now();
    const auto hands = parts_.headAndHands.hands(time, parts_.program.machine().inputFocused(), head, rig_);
    exclude(t0);
    if (!hands) return lost(hands.error());
    parts_.interaction.update(head, *hands, rig_, std::clamp(dt, 0.0f, 0.1f));
    const std::vector<std::string> events = parts_.interaction.takeEvents();
    for (const std::string& event : events) std::printf("xr: event %s\n", event.c_str());
    if (!events.empty()) std::fflush(stdout);  // a live log: whoever follows it sees each event as it happens
    return true;
}

// Both eyes' views from the rig, the scene's draws for them, the interaction's markers, the panels.
render::FrameInput FrameLoop::prepareScene(const HeadAndEyes& located, float dt) {
    for (uint32_t i = 0; i < kViewCount; ++i) {
        const XrFovf& f = located.fovs[i];
        views_[i] = eyeView(rig_.worldFromTracking(), located.eyes[i], {f.angleLeft, f.angleRight, f.angleUp, f.angleDown});
    }
    const VkExtent2D extent = parts_.swapchains.extent();
    const Clock::time_point t0 = Clock::now();
    const render::FrameInput sceneInput = parts_.scene.prepareFrame(views_, {extent.width, extent.height});
    sceneSeconds_ += secondsSince(t0);
    const render::FrameInput decorated = parts_.interaction.decorate(sceneInput);
    frameClusters_.assign(decorated.clusters.begin(), decorated.clusters.end());
    if (Panels* panels = parts_.panels) {
        const glm::vec3 headWorld = glm::vec3(rig_.worldFromTracking() * glm::vec4(located.head.position, 1.0f));
        panels->update(parts_.interaction, headWorld, dt);
        panels->appendDraws(frameClusters_);
        parts_.interaction.setTourPanel(panels->tourPanelPose(), panels->sizeMetres());
    }
    return {decorated.views, decorated.items, frameClusters_, decorated.lighting};
}

// Waits for the frame slot's previous submission (GPU time, not ours), acquires the eye images and
// records the panels, the multiview pass and whatever the tap adds.
AliveOr<VkCommandBuffer> FrameLoop::record(const render::FrameInput& input) {
    Clock::time_point t0 = Clock::now();
    VkCommandBuffer commands = slots_.begin().commands;
    exclude(t0);
    t0 = Clock::now();
    if (auto alive = parts_.swapchains.acquire(); !alive) return std::unexpected(alive.error());
    exclude(t0);
    recordPreviousWritesBarrier(commands);
    // Panels first: the scene's panel quad samples what they draw.
    if (parts_.panels && !parts_.panels->record(commands))
        return std::unexpected(RuntimeLoss{"xrAcquireSwapchainImage (panel)", XR_ERROR_INSTANCE_LOST});
    const render::RenderTarget target = parts_.swapchains.target();
    t0 = Clock::now();
    parts_.renderer.record(commands, input, target);
    recordSeconds_ += secondsSince(t0);
    parts_.swapchains.recordDepthHandBack(commands);
    parts_.tap.record(commands, target, framesSubmitted_);
    return commands;
}

// Submit before release: the runtime reads the images after our work on this queue.
Alive FrameLoop::submit() {
    const Clock::time_point t0 = Clock::now();
    const uint64_t value = slots_.submit();
    // lavapipe (and some drivers) do the GPU's work inside vkQueueSubmit: not our code.
    const double submitted = secondsSince(t0);
    submitSeconds_ += submitted;
    excluded_ += submitted;
    parts_.tap.submitted(value);
    cpuSeconds_ += std::max(0.0, secondsSince(cpuStart_) - excluded_);
    ++cpuFrames_;

    if (parts_.panels && !parts_.panels->afterSubmit())
        return std::unexpected(RuntimeLoss{"xrReleaseSwapchainImage (panel)", XR_ERROR_INSTANCE_LOST});
    return parts_.swapchains.release();
}

// The projection layer when both eyes were rendered (`views`), and the panels' quad layers with it;
// no layers otherwise.
void FrameLoop::endFrame(XrTime displayTime, const std::array<XrCompositionLayerProjectionView, kViewCount>* views) {
    OpenXrProgram& program = parts_.program;
    XrCompositionLayerProjection projection{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
    std::vector<const XrCompositionLayerBaseHeader*> layers;
    if (views) {
        projection.space = program.appSpace();
        projection.viewCount = kViewCount;
        projection.views = views->data();
        if (program.blendMode() != XR_ENVIRONMENT_BLEND_MODE_OPAQUE)
            projection.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
        layers.push_back(reinterpret_cast<const XrCompositionLayerBaseHeader*>(&projection));
        if (parts_.panels) parts_.panels->appendLayers(program.appSpace(), rig_.worldFromTracking(), layers);
    }
    XrFrameEndInfo endInfo{XR_TYPE_FRAME_END_INFO};
    endInfo.displayTime = displayTime;
    endInfo.environmentBlendMode = program.blendMode();
    endInfo.layerCount = static_cast<uint32_t>(layers.size());
    endInfo.layers = layers.data();
    const XrResult r = xrEndFrame(program.session(), &endInfo);
    if (isLoss(r)) return program.lost({"xrEndFrame", r});
    XR_CHECK_RESULT(program.instance(), r, "xrEndFrame");
}

bool FrameLoop::lost(const RuntimeLoss& loss) {
    parts_.program.lost(loss);
    return false;
}

void FrameLoop::exclude(Clock::time_point since) { excluded_ += secondsSince(since); }

void FrameLoop::printTimes() const {
    if (cpuFrames_ == 0) return;
    const double perFrame = 1000.0 / double(cpuFrames_);
    std::printf("xr: cpu ms/frame %.3f (ours: input, interaction, scene, record; not the runtime, the GPU or "
                "vkQueueSubmit) over %llu frames; scene %.3f, record %.3f; vkQueueSubmit %.3f\n",
                cpuSeconds_ * perFrame, (unsigned long long)cpuFrames_, sceneSeconds_ * perFrame,
                recordSeconds_ * perFrame, submitSeconds_ * perFrame);
}

}  // namespace vt::xr
