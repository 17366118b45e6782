#pragma once
// Objects waiting for the GPU to finish with them before they are destroyed.
//
// Each entry records the timeline value after which the GPU no longer uses it (Granite's per-frame
// retire lists, keyed on a timeline semaphore instead of frame slots).

#include <cstdint>
#include <deque>

#include <vulkan/vulkan.h>

typedef struct VmaAllocator_T* VmaAllocator;
typedef struct VmaAllocation_T* VmaAllocation;

namespace vt::gpu {

struct RetiredObject {
    VkObjectType type = VK_OBJECT_TYPE_UNKNOWN;  // BUFFER, IMAGE, IMAGE_VIEW, SAMPLER, PIPELINE, ...
    uint64_t handle = 0;
    VmaAllocation allocation = nullptr;  // for buffers and images made through VMA
};

class RetireList {
public:
    void add(RetiredObject object, uint64_t safeAfterValue) { entries_.push_back({object, safeAfterValue}); }
    // Destroys every object whose value is <= completedValue; entries are in increasing value order.
    void collect(VkDevice device, VmaAllocator allocator, uint64_t completedValue);
    bool empty() const { return entries_.empty(); }

private:
    struct Entry {
        RetiredObject object;
        uint64_t value;
    };
    std::deque<Entry> entries_;
};

void destroyNow(VkDevice device, VmaAllocator allocator, const RetiredObject& object);

}  // namespace vt::gpu
