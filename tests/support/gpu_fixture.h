#pragma once
// A Vulkan device with validation on, shared by the GPU tests of one suite. Every test fails if
// validation reported any error or warning while it ran.

#include <memory>
#include <optional>

#include <gtest/gtest.h>

#include "gpu/context.h"
#include "render/headless.h"
#include "render/renderer.h"
#include "scene/lighting.h"

namespace vt::test {

class GpuTest : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;
    void TearDown() override;

    // Renders `model` framed by the default orbit camera and object lighting.
    struct Shot {
        uint32_t width = 256;
        uint32_t height = 256;
        float yawDegrees = 35.0f;
        float pitchDegrees = 20.0f;
        bool stereo = false;
        float ipd = 0.0f;  // stereo eye separation; 0 means a tenth of the model's radius
        bool spotLights = true;
        std::optional<scene::Lighting> lighting;  // replaces the default object lighting
        glm::mat4 worldFromModel{1.0f};
    };
    static render::HeadlessFrame renderModel(const asset::Model& model, const Shot& shot);
    static render::HeadlessFrame renderModel(const asset::Model& model) { return renderModel(model, Shot{}); }

    static std::unique_ptr<gpu::Context> context_;
    static std::unique_ptr<render::Renderer> renderer_;
    gpu::ValidationCounts countsBefore_{};
};

}  // namespace vt::test
