#include "gpu/retire_list.h"

#include <vk_mem_alloc.h>

#include "core/check.h"

namespace vt::gpu {

void RetireList::collect(VkDevice device, VmaAllocator allocator, uint64_t completedValue) {
    while (!entries_.empty() && entries_.front().value <= completedValue) {
        destroyNow(device, allocator, entries_.front().object);
        entries_.pop_front();
    }
}

void destroyNow(VkDevice device, VmaAllocator allocator, const RetiredObject& object) {
    switch (object.type) {
        case VK_OBJECT_TYPE_BUFFER:
            vmaDestroyBuffer(allocator, reinterpret_cast<VkBuffer>(object.handle), object.allocation);
            break;
        case VK_OBJECT_TYPE_IMAGE:
            vmaDestroyImage(allocator, reinterpret_cast<VkImage>(object.handle), object.allocation);
            break;
        case VK_OBJECT_TYPE_IMAGE_VIEW:
            vkDestroyImageView(device, reinterpret_cast<VkImageView>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_SAMPLER:
            vkDestroySampler(device, reinterpret_cast<VkSampler>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_PIPELINE:
            vkDestroyPipeline(device, reinterpret_cast<VkPipeline>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_PIPELINE_LAYOUT:
            vkDestroyPipelineLayout(device, reinterpret_cast<VkPipelineLayout>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT:
            vkDestroyDescriptorSetLayout(device, reinterpret_cast<VkDescriptorSetLayout>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_DESCRIPTOR_POOL:
            vkDestroyDescriptorPool(device, reinterpret_cast<VkDescriptorPool>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_SHADER_MODULE:
            vkDestroyShaderModule(device, reinterpret_cast<VkShaderModule>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_COMMAND_POOL:
            vkDestroyCommandPool(device, reinterpret_cast<VkCommandPool>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_SEMAPHORE:
            vkDestroySemaphore(device, reinterpret_cast<VkSemaphore>(object.handle), nullptr);
            break;
        case VK_OBJECT_TYPE_FENCE:
            vkDestroyFence(device, reinterpret_cast<VkFence>(object.handle), nullptr);
            break;
        default:
            VT_CHECK(false, "retired an object type the retire list does not know how to destroy");
    }
}

}  // namespace vt::gpu
