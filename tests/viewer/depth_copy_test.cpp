// The renderer's optional depth copy (RenderTarget::depthCopy), which the viewer reads back for
// picking and measuring: unprojecting it must give the surface that was drawn, with MSAA (sample 0
// resolved) and without, and leave validation silent.
#include <gtest/gtest.h>

#include "gpu_fixture.h"
#include <glm/gtc/matrix_transform.hpp>

#include "scene/camera.h"

namespace vt::test {
namespace {

// A 1 x 1 m square facing +Z at z = `z`.
asset::Model square(float z) {
    asset::Model model;
    asset::Mesh mesh;
    mesh.positions = {{-0.5f, -0.5f, z}, {0.5f, -0.5f, z}, {0.5f, 0.5f, z}, {-0.5f, 0.5f, z}};
    mesh.normals.assign(4, {0, 0, 1});
    mesh.indices = {0, 1, 2, 0, 2, 3};
    model.meshes.push_back(mesh);
    model.materials.push_back({});
    return model;
}

class DepthCopy : public GpuTest {
protected:
    // Renders the square seen from (0, 0, 2) and returns the depth copy.
    std::vector<float> render(render::Renderer& renderer, VkExtent2D extent, scene::View& view) {
        const render::GpuModel model = renderer.upload(square(-1.0f));
        view.viewFromWorld = glm::lookAt(glm::vec3(0, 0, 2), glm::vec3(0, 0, 0), glm::vec3(0, 1, 0));
        view.clipFromView = scene::perspectiveReversedZ(1.0f, float(extent.width) / float(extent.height), 0.05f);
        view.position = {0, 0, 2};
        const scene::Lighting lighting;
        const render::DrawItem item{&model, glm::mat4(1.0f)};
        const render::FrameInput input{std::span(&view, 1), std::span(&item, 1), {}, &lighting};
        gpu::Image color(*context_, {VK_FORMAT_R8G8B8A8_SRGB, extent, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                     VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                         "depth test colour");
        gpu::Image depth(*context_, {VK_FORMAT_D32_SFLOAT, extent, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                     VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                         "depth test copy");
        const VkDeviceSize bytes = VkDeviceSize(extent.width) * extent.height * 4;
        gpu::Buffer readback(*context_, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, gpu::MemoryUse::Readback, "depth readback");
        // Twice, so the second frame's copy follows the first one's read (write-after-read).
        for (int frame = 0; frame < 2; ++frame) {
            context_->runNow([&](VkCommandBuffer commands) {
                render::RenderTarget target;
                target.image = color.handle();
                target.view = color.view();
                target.extent = extent;
                target.depthCopy = depth.handle();
                target.depthCopyView = depth.view();
                renderer.record(commands, input, target);
                VkBufferImageCopy region{};
                region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
                region.imageExtent = {extent.width, extent.height, 1};
                vkCmdCopyImageToBuffer(commands, depth.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback.handle(), 1,
                                       &region);
                gpu::makeCopiesVisibleToHost(commands);
            });
        }
        readback.invalidate();
        const auto* values = static_cast<const float*>(readback.mapped());
        return std::vector<float>(values, values + size_t(extent.width) * extent.height);
    }

    void expectSurface(render::Renderer& renderer) {
        const VkExtent2D extent{64, 48};
        scene::View view;
        const std::vector<float> depth = render(renderer, extent, view);
        // The centre pixel lies on the square (z = -1); a corner sees nothing (depth 0, reversed Z).
        const uint32_t x = 32, y = 24;
        const float d = depth[y * extent.width + x];
        ASSERT_GT(d, 0.0f);
        const glm::vec4 ndc{(x + 0.5f) / extent.width * 2 - 1, (y + 0.5f) / extent.height * 2 - 1, d, 1};
        const glm::vec4 world = glm::inverse(view.clipFromWorld()) * ndc;
        EXPECT_NEAR(world.z / world.w, -1.0f, 1e-3f);
        EXPECT_NEAR(world.x / world.w, 0.0f, 0.05f);
        EXPECT_EQ(depth[0], 0.0f);
    }
};

TEST_F(DepthCopy, UnprojectsToTheDrawnSurfaceWithMsaa) {
    ASSERT_GT(renderer_->msaaSamples(), 1u);
    expectSurface(*renderer_);
}

TEST_F(DepthCopy, UnprojectsToTheDrawnSurfaceWithoutMsaa) {
    render::RendererOptions options;
    options.msaaSamples = 1;
    auto renderer = render::Renderer::create(*context_, options);
    ASSERT_TRUE(renderer);
    expectSurface(**renderer);
}

}  // namespace
}  // namespace vt::test
