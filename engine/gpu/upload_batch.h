#pragma once
// Uploads that never make the CPU wait: copies into GPU-only buffers are recorded into the batch's
// own command buffer and submitted with submit(). A memory barrier at the end of that command buffer
// makes the data visible to every later submission on the queue (vertex, index and shader reads), so
// a frame recorded afterwards can use the buffers at once. The staging buffers and the command pool
// retire through the Context when the GPU has finished the copies.
//
// Use one batch per frame for streamed data; the one-off helpers in resources.h (uploadBuffer,
// uploadImage) use a batch of their own. Nothing here ever waits for the GPU.

#include <span>
#include <string_view>
#include <vector>

#include "gpu/resources.h"

namespace vt::gpu {

class UploadBatch {
public:
    explicit UploadBatch(Context& context);
    ~UploadBatch();  // submits what was recorded and not yet submitted
    UploadBatch(const UploadBatch&) = delete;
    UploadBatch& operator=(const UploadBatch&) = delete;

    // A GPU-only buffer whose contents arrive with this batch's submission.
    Buffer uploadBuffer(std::span<const std::byte> bytes, VkBufferUsageFlags usage, std::string_view name);

    // Fills `image` (created with TRANSFER_DST, in any layout; its old contents are discarded) from
    // `bytes`: levels [0, providedMips) tightly packed, mip-major then layer; the remaining levels are
    // blitted from the last one provided (the format must then support linear blits). The image is in
    // SHADER_READ_ONLY_OPTIMAL for every submission after this batch's.
    void uploadImage(Image& image, std::span<const std::byte> bytes, uint32_t providedMips);
    // The same from a staging buffer the caller filled (MemoryUse::Upload, laid out as imageBytes()
    // says), e.g. on a worker thread so the frame thread only records the copy. The batch keeps it
    // until the GPU is done.
    void uploadImage(Image& image, Buffer staging, uint32_t providedMips);

    // Submits the recorded copies (no wait). Does nothing if nothing was recorded.
    void submit();

    uint64_t bytesRecorded() const { return bytes_; }

private:
    void begin();  // the command buffer, on first use
    VkBuffer stage(std::span<const std::byte> bytes);

    Context& context_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    std::vector<Buffer> staging_;
    uint64_t bytes_ = 0;
};

}  // namespace vt::gpu
