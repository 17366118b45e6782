#include "gpu/frame_slots.h"

#include <algorithm>
#include <format>

#include "core/check.h"

namespace vt::gpu {

FrameSlots::FrameSlots(Context& context, uint32_t count, std::string_view name) : context_(context) {
    VT_CHECK(count >= 1, "FrameSlots needs at least one slot");
    for (uint32_t i = 0; i < count; ++i) {
        Slot slot;
        slot.index = i;
        VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
        poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
        poolInfo.queueFamilyIndex = context_.queueFamily();
        VK_CHECK(vkCreateCommandPool(context_.device(), &poolInfo, nullptr, &slot.pool));
        VkCommandBufferAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
        allocateInfo.commandPool = slot.pool;
        allocateInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        allocateInfo.commandBufferCount = 1;
        VK_CHECK(vkAllocateCommandBuffers(context_.device(), &allocateInfo, &slot.commands));
        VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
        VK_CHECK(vkCreateSemaphore(context_.device(), &semaphoreInfo, nullptr, &slot.acquired));
        const std::string label = std::format("{} {}", name, i);
        context_.setName(VK_OBJECT_TYPE_COMMAND_BUFFER, slot.commands, label);
        context_.setName(VK_OBJECT_TYPE_SEMAPHORE, slot.acquired, label + " acquired");
        slots_.push_back(slot);
    }
    current_ = count - 1;  // so the first begin() takes slot 0
}

FrameSlots::~FrameSlots() {
    uint64_t last = 0;
    for (const Slot& slot : slots_) last = std::max(last, slot.submitted);
    if (last) context_.waitFor(last);
    for (const Slot& slot : slots_) {
        vkDestroyCommandPool(context_.device(), slot.pool, nullptr);  // frees its command buffer
        vkDestroySemaphore(context_.device(), slot.acquired, nullptr);
    }
    context_.collectRetired();  // what the last frames retired is done with too
}

const FrameSlots::Slot& FrameSlots::begin() {
    current_ = (current_ + 1) % count();
    Slot& slot = slots_[current_];
    // Frame pacing: only this slot's previous frame must be done before its commands are reused.
    if (slot.submitted) context_.waitFor(slot.submitted);
    context_.collectRetired();
    VK_CHECK(vkResetCommandPool(context_.device(), slot.pool, 0));
    VkCommandBufferBeginInfo beginInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    beginInfo.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(slot.commands, &beginInfo));
    recording_ = true;
    return slot;
}

uint64_t FrameSlots::submit(const std::vector<VkSemaphoreSubmitInfo>& waits,
                            const std::vector<VkSemaphoreSubmitInfo>& signals) {
    VT_CHECK(recording_, "FrameSlots::submit without a begin()");
    Slot& slot = slots_[current_];
    VK_CHECK(vkEndCommandBuffer(slot.commands));
    slot.submitted = context_.submit(slot.commands, waits, signals);
    recording_ = false;
    return slot.submitted;
}

VkSemaphoreSubmitInfo semaphoreSubmit(VkSemaphore semaphore, VkPipelineStageFlags2 stage) {
    VkSemaphoreSubmitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
    info.semaphore = semaphore;
    info.stageMask = stage;
    return info;
}

}  // namespace vt::gpu
