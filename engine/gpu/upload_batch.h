#pragma once
// Uploads that never make the CPU wait: copies into GPU-only buffers are recorded into the batch's
// own command buffer and submitted with submit(). A memory barrier at the end of that command buffer
// makes the data visible to every later submission on the queue (vertex, index and shader reads), so
// a frame recorded afterwards can use the buffers at once. The staging buffers and the command pool
// retire through the Context when the GPU has finished the copies.
//
// Use one batch per frame for streamed data; Context::runNow stays for one-off uploads at load time.

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

    // Submits the recorded copies (no wait). Does nothing if nothing was recorded.
    void submit();

    uint64_t bytesRecorded() const { return bytes_; }

private:
    Context& context_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    std::vector<Buffer> staging_;
    uint64_t bytes_ = 0;
};

}  // namespace vt::gpu
