#pragma once
// Move-only owners of GPU objects. Destruction is deferred: the destructor hands the object to the
// Context's retire list, which destroys it once the GPU has finished every submission that might
// use it. So an owner can be dropped at any time, even while a frame using it is in flight.

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include <vulkan/vulkan.h>

#include "gpu/context.h"

namespace vt::gpu {

enum class MemoryUse {
    GpuOnly,   // device-local, filled by transfers
    Upload,    // host-visible, persistently mapped, written by the CPU (staging, per-frame data)
    Readback,  // host-visible and cached, read by the CPU (screenshots, tests)
};

class Buffer {
public:
    Buffer() = default;
    Buffer(Context& context, VkDeviceSize size, VkBufferUsageFlags usage, MemoryUse memory, std::string_view name);
    ~Buffer() { release(); }
    Buffer(Buffer&& other) noexcept { *this = std::move(other); }
    Buffer& operator=(Buffer&& other) noexcept;

    VkBuffer handle() const { return buffer_; }
    VkDeviceSize size() const { return size_; }
    // Host pointer for Upload and Readback buffers, null for GpuOnly.
    void* mapped() const { return mapped_; }
    // Makes CPU writes visible to the GPU / GPU writes visible to the CPU on non-coherent memory.
    void flush() const;
    void invalidate() const;
    explicit operator bool() const { return buffer_ != VK_NULL_HANDLE; }

private:
    void release();
    Context* context_ = nullptr;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VmaAllocation allocation_ = nullptr;
    VkDeviceSize size_ = 0;
    void* mapped_ = nullptr;
};

struct ImageDesc {
    VkFormat format = VK_FORMAT_R8G8B8A8_UNORM;
    VkExtent2D extent{1, 1};
    uint32_t mipLevels = 1;
    uint32_t layers = 1;  // 6 for a cube map; 2 for a stereo (multiview) target
    VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
    VkImageUsageFlags usage = VK_IMAGE_USAGE_SAMPLED_BIT;
    VkImageViewType viewType = VK_IMAGE_VIEW_TYPE_2D;  // 2D_ARRAY for multiview targets, CUBE for cubes
    bool transient = false;  // lazily allocated where supported (MSAA and depth attachments)
};

// An image plus one view over all its mips and layers.
class Image {
public:
    Image() = default;
    Image(Context& context, const ImageDesc& desc, std::string_view name);
    ~Image() { release(); }
    Image(Image&& other) noexcept { *this = std::move(other); }
    Image& operator=(Image&& other) noexcept;

    VkImage handle() const { return image_; }
    VkImageView view() const { return view_; }
    const ImageDesc& desc() const { return desc_; }
    explicit operator bool() const { return image_ != VK_NULL_HANDLE; }

private:
    void release();
    Context* context_ = nullptr;
    VkImage image_ = VK_NULL_HANDLE;
    VkImageView view_ = VK_NULL_HANDLE;
    VmaAllocation allocation_ = nullptr;
    ImageDesc desc_;
};

// Any other handle (pipelines, layouts, samplers, pools): move-only, retired on destruction.
template <class Handle, VkObjectType kType>
class Owned {
public:
    Owned() = default;
    Owned(Context& context, Handle handle, std::string_view name) : context_(&context), handle_(handle) {
        context.setName(kType, handle, name);
    }
    ~Owned() { release(); }
    Owned(Owned&& other) noexcept { *this = std::move(other); }
    Owned& operator=(Owned&& other) noexcept {
        if (this != &other) {
            release();
            context_ = std::exchange(other.context_, nullptr);
            handle_ = std::exchange(other.handle_, VK_NULL_HANDLE);
        }
        return *this;
    }
    Handle get() const { return handle_; }
    explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }

private:
    void release() {
        if (context_ && handle_) context_->retire({kType, reinterpret_cast<uint64_t>(handle_), nullptr});
        handle_ = VK_NULL_HANDLE;
    }
    Context* context_ = nullptr;
    Handle handle_ = VK_NULL_HANDLE;
};

using Pipeline = Owned<VkPipeline, VK_OBJECT_TYPE_PIPELINE>;
using PipelineLayout = Owned<VkPipelineLayout, VK_OBJECT_TYPE_PIPELINE_LAYOUT>;
using DescriptorSetLayout = Owned<VkDescriptorSetLayout, VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT>;
using DescriptorPool = Owned<VkDescriptorPool, VK_OBJECT_TYPE_DESCRIPTOR_POOL>;
using Sampler = Owned<VkSampler, VK_OBJECT_TYPE_SAMPLER>;
using ImageView = Owned<VkImageView, VK_OBJECT_TYPE_IMAGE_VIEW>;
using ShaderModule = Owned<VkShaderModule, VK_OBJECT_TYPE_SHADER_MODULE>;

// One-off uploads, each through its own gpu::UploadBatch (upload_batch.h): recorded and submitted at
// once, never waited for; every submission after it sees the data.

// A GPU-only buffer filled with `bytes` through a staging copy.
Buffer uploadBuffer(Context& context, std::span<const std::byte> bytes, VkBufferUsageFlags usage,
                    std::string_view name);

// Uploads level 0 of `image` (layer by layer, `bytes` tightly packed) and fills the remaining mips by
// linear blits; ends in SHADER_READ_ONLY_OPTIMAL. The format must support linear blits when mips > 1.
void uploadImage(Context& context, Image& image, std::span<const std::byte> bytes);

// Like uploadImage but every mip of every layer is provided: mip-major, then layer, tightly packed.
// Block-compressed formats (BC1-BC7) are accepted here, as whole 4x4 blocks per level.
void uploadImageWithMips(Context& context, Image& image, std::span<const std::byte> bytes);

// Bytes of the first `providedMips` levels of an image like `desc` (every layer), tightly packed.
VkDeviceSize imageBytes(const ImageDesc& desc, uint32_t providedMips);
// Records the upload of levels [0, providedMips) from `staging` at `stagingOffset` (laid out as
// imageBytes describes) and blits the rest; the whole image ends in SHADER_READ_ONLY_OPTIMAL.
void recordImageUpload(VkCommandBuffer commands, Image& image, VkBuffer staging, VkDeviceSize stagingOffset,
                       uint32_t providedMips);

// A layout transition with a full synchronization2 barrier description.
struct ImageTransition {
    VkImage image = VK_NULL_HANDLE;
    VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
    VkImageLayout oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VkImageLayout newLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    VkPipelineStageFlags2 srcStage = VK_PIPELINE_STAGE_2_NONE;
    VkAccessFlags2 srcAccess = VK_ACCESS_2_NONE;
    VkPipelineStageFlags2 dstStage = VK_PIPELINE_STAGE_2_NONE;
    VkAccessFlags2 dstAccess = VK_ACCESS_2_NONE;
    uint32_t baseMip = 0;
    uint32_t mipCount = VK_REMAINING_MIP_LEVELS;
    uint32_t layerCount = VK_REMAINING_ARRAY_LAYERS;
};
void transition(VkCommandBuffer commands, const ImageTransition& t);

// Makes the copies recorded before it (into host-visible buffers) visible to host reads once the
// command buffer has completed: for image and depth readbacks.
void makeCopiesVisibleToHost(VkCommandBuffer commands);

}  // namespace vt::gpu
