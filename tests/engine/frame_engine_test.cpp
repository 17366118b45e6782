// The frame engine (engine/gpu): frame slots and image readbacks on the validated device.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "gpu/frame_slots.h"
#include "gpu/image_readback.h"
#include "gpu/resources.h"
#include "gpu_fixture.h"

namespace vt::test {
namespace {

using FrameEngine = GpuTest;

// Clears each layer of `image` (a transfer destination) and leaves it in TRANSFER_SRC_OPTIMAL.
void clearLayers(VkCommandBuffer commands, const gpu::Image& image, const std::vector<VkClearColorValue>& colours) {
    gpu::transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT});
    for (uint32_t layer = 0; layer < colours.size(); ++layer) {
        const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, layer, 1};
        vkCmdClearColorImage(commands, image.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &colours[layer], 1, &range);
    }
    gpu::transition(commands, {image.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                               VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                               VK_ACCESS_2_TRANSFER_READ_BIT});
}

std::vector<uint8_t> pixel(const gpu::ReadbackImage& image, uint32_t x, uint32_t y) {
    const size_t at = (size_t(y) * image.width + x) * 4;
    return {image.rgba.begin() + at, image.rgba.begin() + at + 4};
}

TEST_F(FrameEngine, SlotsWaitOnlyForTheirOwnPreviousFrame) {
    gpu::FrameSlots slots(*context_, gpu::FrameSlots::kWindowed, "test frame");
    EXPECT_EQ(slots.count(), 2u);
    const gpu::FrameSlots::Slot& first = slots.begin();
    EXPECT_EQ(first.index, 0u);
    const uint64_t firstValue = slots.submit();
    EXPECT_EQ(slots.begin().index, 1u);
    const uint64_t secondValue = slots.submit();
    EXPECT_GT(secondValue, firstValue);
    // The third frame reuses slot 0: its previous submission is done, the second need not be.
    const gpu::FrameSlots::Slot& third = slots.begin();
    EXPECT_EQ(third.index, 0u);
    EXPECT_EQ(third.submitted, firstValue);
    EXPECT_GE(context_->completedValue(), firstValue);
    slots.submit();
}

TEST_F(FrameEngine, ColourLayersComeBackAsRgbaFromBgra) {
    const VkExtent2D extent{8, 4};
    gpu::Image image(*context_,
                     {VK_FORMAT_B8G8R8A8_UNORM, extent, 1, 2, VK_SAMPLE_COUNT_1_BIT,
                      VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                      VK_IMAGE_VIEW_TYPE_2D_ARRAY},
                     "readback test image");
    gpu::FrameSlots slots(*context_, gpu::FrameSlots::kOffscreen, "test frame");
    gpu::ImageReadback readback(*context_, "test readback");

    // Both layers, made opaque, taken without blocking.
    VkCommandBuffer commands = slots.begin().commands;
    clearLayers(commands, image, {VkClearColorValue{{1.0f, 0.0f, 0.0f, 0.5f}}, VkClearColorValue{{0.0f, 0.0f, 1.0f, 1.0f}}});
    gpu::ColorCopy copy{image.handle(), VK_FORMAT_B8G8R8A8_UNORM, extent, 0, 2};
    copy.alpha = gpu::ReadbackAlpha::Opaque;
    readback.recordColor(commands, copy);
    EXPECT_TRUE(readback.recorded());
    readback.submitted(slots.submit());
    std::optional<gpu::ReadbackResult> taken;
    for (int i = 0; i < 1000 && !(taken = readback.take()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(taken);
    EXPECT_FALSE(readback.recorded());
    ASSERT_EQ(taken->layers.size(), 2u);
    EXPECT_TRUE(taken->depth.empty());
    EXPECT_EQ(taken->layers[0].width, 8u);
    EXPECT_EQ(taken->layers[0].height, 4u);
    EXPECT_EQ(pixel(taken->layers[0], 7, 3), (std::vector<uint8_t>{255, 0, 0, 255}));
    EXPECT_EQ(pixel(taken->layers[1], 0, 0), (std::vector<uint8_t>{0, 0, 255, 255}));

    // One layer, alpha as drawn, waiting for it; the readback is reused.
    commands = slots.begin().commands;
    clearLayers(commands, image, {VkClearColorValue{{0.0f, 1.0f, 0.0f, 0.2f}}});
    readback.recordColor(commands, {image.handle(), VK_FORMAT_B8G8R8A8_UNORM, extent, 0, 1});
    readback.submitted(slots.submit());
    const gpu::ReadbackResult waited = readback.wait();
    ASSERT_EQ(waited.layers.size(), 1u);
    EXPECT_EQ(pixel(waited.layers[0], 3, 2), (std::vector<uint8_t>{0, 255, 0, 51}));
}

TEST_F(FrameEngine, DepthComesBackAsFloats) {
    const VkExtent2D extent{5, 3};
    gpu::Image depth(*context_,
                     {VK_FORMAT_D32_SFLOAT, extent, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                      VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                          VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                     "readback test depth");
    gpu::FrameSlots slots(*context_, gpu::FrameSlots::kOffscreen, "test frame");
    gpu::ImageReadback readback(*context_, "test readback");
    VkCommandBuffer commands = slots.begin().commands;
    gpu::transition(commands, {depth.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT});
    const VkClearDepthStencilValue value{0.25f, 0};
    const VkImageSubresourceRange range{VK_IMAGE_ASPECT_DEPTH_BIT, 0, 1, 0, 1};
    vkCmdClearDepthStencilImage(commands, depth.handle(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &value, 1, &range);
    gpu::transition(commands, {depth.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                               VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_PIPELINE_STAGE_2_CLEAR_BIT,
                               VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                               VK_ACCESS_2_TRANSFER_READ_BIT});
    readback.recordDepth(commands, depth.handle(), extent);
    readback.submitted(slots.submit());
    const gpu::ReadbackResult result = readback.wait();
    EXPECT_TRUE(result.layers.empty());
    EXPECT_EQ(result.depthExtent.width, 5u);
    EXPECT_EQ(result.depthExtent.height, 3u);
    ASSERT_EQ(result.depth.size(), 15u);
    for (float d : result.depth) EXPECT_EQ(d, 0.25f);
}

}  // namespace
}  // namespace vt::test
