#include "gpu_fixture.h"

#include "scene/camera.h"

namespace vt::test {

std::unique_ptr<gpu::Context> GpuTest::context_;
std::unique_ptr<render::Renderer> GpuTest::renderer_;

void GpuTest::SetUpTestSuite() {
    if (context_) return;
    gpu::ContextOptions options;
    options.validation = true;
    auto context = gpu::Context::create(options);
    // No silent skip: CI has lavapipe, so a missing device is a failure to investigate.
    ASSERT_TRUE(context) << context.error().message;
    context_ = std::move(*context);
    auto renderer = render::Renderer::create(*context_, {});
    ASSERT_TRUE(renderer) << renderer.error().message;
    renderer_ = std::move(*renderer);
}

void GpuTest::TearDownTestSuite() {
    renderer_.reset();
    if (context_) {
        const auto counts = context_->validationCounts();
        context_.reset();
        EXPECT_EQ(counts.errors + counts.warnings, 0u) << "validation messages during suite teardown";
    }
}

void GpuTest::SetUp() {
    ASSERT_TRUE(context_ && renderer_) << "no Vulkan device";
    countsBefore_ = context_->validationCounts();
}

void GpuTest::TearDown() {
    if (!context_) return;
    context_->waitIdle();
    const auto counts = context_->validationCounts();
    EXPECT_EQ(counts.errors, countsBefore_.errors) << "Vulkan validation errors during this test (see log above)";
    EXPECT_EQ(counts.warnings, countsBefore_.warnings) << "Vulkan validation warnings during this test";
}

render::HeadlessFrame GpuTest::renderModel(const asset::Model& model, const Shot& shot) {
    const render::GpuModel gpuModel = renderer_->upload(model);
    const float fovY = glm::radians(35.0f);
    const float aspect = float(shot.width) / float(shot.height);
    const Bounds bounds = transformBounds(model.bounds(), shot.worldFromModel);
    const scene::View center =
        scene::orbitView(scene::frameBounds(bounds, fovY, aspect, shot.yawDegrees, shot.pitchDegrees), fovY, aspect);
    std::vector<scene::View> views{center};
    if (shot.stereo) {
        const auto eyes = scene::stereoPair(center, shot.ipd > 0.0f ? shot.ipd : bounds.radius() * 0.1f);
        views = {eyes[0], eyes[1]};
    }
    scene::Lighting lighting = shot.lighting ? *shot.lighting : scene::objectLighting(bounds);
    if (!shot.spotLights) lighting.spots.clear();
    const render::DrawItem item{&gpuModel, shot.worldFromModel};
    const render::FrameInput input{views, std::span(&item, 1), {}, &lighting};
    return render::renderHeadless(*context_, *renderer_, input, {shot.width, shot.height});
}

}  // namespace vt::test
