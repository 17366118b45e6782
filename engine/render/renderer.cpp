#include "render/renderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include <glm/gtc/packing.hpp>

#include "core/check.h"
#include "render/position_input.h"
#include "shaders/embedded_shaders.h"
#include "shaders/shared/frame_data.h"

namespace vt::render {

namespace {

constexpr VkFormat kDepthFormat = VK_FORMAT_D32_SFLOAT;
// A depth resolve writes in the colour-output stage; without MSAA the depth tests write the copy itself.
constexpr VkPipelineStageFlags2 kDepthCopyStages = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT |
                                                   VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT |
                                                   VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
constexpr VkAccessFlags2 kDepthCopyAccess = VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT |
                                            VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT |
                                            VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT;
constexpr uint32_t kEnvironmentSize = 64;  // texels per cube face edge; the environment is smooth
constexpr uint32_t kMaterialTextureSlots = 5;

uint32_t mipCount(uint32_t width, uint32_t height) {
    uint32_t levels = 1;
    while ((std::max(width, height) >> levels) > 0) ++levels;
    return levels;
}

VkSampleCountFlagBits clampSamples(uint32_t wanted, VkSampleCountFlags supported) {
    for (uint32_t s = std::min(wanted, 64u); s > 1; s >>= 1)
        if (supported & s) return static_cast<VkSampleCountFlagBits>(s);
    return VK_SAMPLE_COUNT_1_BIT;
}

// A descriptor pool holding exactly one set of `layout`, and that set.
VkDescriptorSet allocateOneSet(gpu::Context& context, VkDescriptorSetLayout layout,
                               std::span<const VkDescriptorPoolSize> sizes, gpu::DescriptorPool& pool,
                               const char* name) {
    VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    poolInfo.maxSets = 1;
    poolInfo.poolSizeCount = uint32_t(sizes.size());
    poolInfo.pPoolSizes = sizes.data();
    VkDescriptorPool handle;
    VK_CHECK(vkCreateDescriptorPool(context.device(), &poolInfo, nullptr, &handle));
    pool = gpu::DescriptorPool(context, handle, name);
    VkDescriptorSetAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    allocateInfo.descriptorPool = handle;
    allocateInfo.descriptorSetCount = 1;
    allocateInfo.pSetLayouts = &layout;
    VkDescriptorSet set;
    VK_CHECK(vkAllocateDescriptorSets(context.device(), &allocateInfo, &set));
    return set;
}

// A reversed-Z depth attachment cleared to far (0).
VkRenderingAttachmentInfo clearedDepth(VkImageView view, VkAttachmentStoreOp store) {
    VkRenderingAttachmentInfo depth{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
    depth.imageView = view;
    depth.imageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    depth.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    depth.storeOp = store;
    depth.clearValue.depthStencil = {0.0f, 0};
    return depth;
}

void setViewportAndScissor(VkCommandBuffer commands, VkExtent2D extent) {
    const VkViewport viewport{0.0f, 0.0f, float(extent.width), float(extent.height), 0.0f, 1.0f};
    const VkRect2D scissor{{0, 0}, extent};
    vkCmdSetViewport(commands, 0, 1, &viewport);
    vkCmdSetScissor(commands, 0, 1, &scissor);
}

// Binds a draw's vertex and index buffers when they differ from the last ones bound.
struct GeometryBinder {
    VkBuffer vertices = VK_NULL_HANDLE, indices = VK_NULL_HANDLE;
    void operator()(VkCommandBuffer commands, const DrawRef& ref) {
        if (ref.vertices != vertices) {
            const VkDeviceSize offset = 0;
            vkCmdBindVertexBuffers(commands, 0, 1, &ref.vertices, &offset);
            vertices = ref.vertices;
        }
        if (ref.indices != indices) {
            vkCmdBindIndexBuffer(commands, ref.indices, 0, VK_INDEX_TYPE_UINT32);
            indices = ref.indices;
        }
    }
};

// Culling as the material says; a mirroring placement flips the winding, so the front face flips with it.
void setFaceState(VkCommandBuffer commands, const DrawRef& ref) {
    const bool mirrored = glm::determinant(glm::mat3(*ref.worldFromModel)) < 0.0f;
    vkCmdSetCullMode(commands, ref.material->doubleSided ? VK_CULL_MODE_NONE : VK_CULL_MODE_BACK_BIT);
    vkCmdSetFrontFace(commands, mirrored ? VK_FRONT_FACE_CLOCKWISE : VK_FRONT_FACE_COUNTER_CLOCKWISE);
}

}  // namespace

Result<std::unique_ptr<Renderer>> Renderer::create(gpu::Context& context, const RendererOptions& options) {
    VkFormatProperties formatProps;
    vkGetPhysicalDeviceFormatProperties(context.physicalDevice(), options.colorFormat, &formatProps);
    if (!(formatProps.optimalTilingFeatures & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT))
        return fail("the output format {} cannot be rendered to on {}", int(options.colorFormat), context.deviceName());
    std::unique_ptr<Renderer> renderer(new Renderer(context));
    renderer->options_ = options;
    const auto& limits = context.properties().limits;
    renderer->samples_ = clampSamples(options.msaaSamples,
                                      limits.framebufferColorSampleCounts & limits.framebufferDepthSampleCounts);
    renderer->createLayouts();
    renderer->setEnvironment(scene::Environment::gallery());
    return renderer;
}

Renderer::~Renderer() = default;

void Renderer::createLayouts() {
    VkDevice device = context_.device();
    // Set 0: per-frame data, the environment cube, the spot shadow maps and the key light's map.
    {
        VkDescriptorSetLayoutBinding bindings[4] = {
            {0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, nullptr},
            {1, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr},
            {2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr},
            {3, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr}};
        VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        info.bindingCount = 4;
        info.pBindings = bindings;
        VkDescriptorSetLayout layout;
        VK_CHECK(vkCreateDescriptorSetLayout(device, &info, nullptr, &layout));
        frameSetLayout_ = gpu::DescriptorSetLayout(context_, layout, "frame set layout");
    }
    // Set 1: a material's parameters and its five textures.
    {
        VkDescriptorSetLayoutBinding bindings[1 + kMaterialTextureSlots];
        bindings[0] = {0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
        for (uint32_t i = 1; i <= kMaterialTextureSlots; ++i)
            bindings[i] = {i, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
        VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        info.bindingCount = 1 + kMaterialTextureSlots;
        info.pBindings = bindings;
        VkDescriptorSetLayout layout;
        VK_CHECK(vkCreateDescriptorSetLayout(device, &info, nullptr, &layout));
        materialSetLayout_ = gpu::DescriptorSetLayout(context_, layout, "material set layout");
    }
    // Set 2: the depth prepass's depth (contact shadows).
    {
        VkDescriptorSetLayoutBinding binding{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT,
                                             nullptr};
        VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        info.bindingCount = 1;
        info.pBindings = &binding;
        VkDescriptorSetLayout layout;
        VK_CHECK(vkCreateDescriptorSetLayout(device, &info, nullptr, &layout));
        depthSetLayout_ = gpu::DescriptorSetLayout(context_, layout, "scene depth set layout");
    }
    {
        VkDescriptorSetLayout setLayouts[3] = {frameSetLayout_.get(), materialSetLayout_.get(), depthSetLayout_.get()};
        VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(DrawConstants)};
        VkPipelineLayoutCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
        info.setLayoutCount = 3;
        info.pSetLayouts = setLayouts;
        info.pushConstantRangeCount = 1;
        info.pPushConstantRanges = &push;
        VkPipelineLayout layout;
        VK_CHECK(vkCreatePipelineLayout(device, &info, nullptr, &layout));
        pipelineLayout_ = gpu::PipelineLayout(context_, layout, "forward pipeline layout");
    }
    vertexShader_ = gpu::createShaderModule(context_, shaders::pbr_vert, "pbr.vert");
    fragmentShader_ = gpu::createShaderModule(context_, shaders::pbr_frag, "pbr.frag");
    depthVertexShader_ = gpu::createShaderModule(context_, shaders::depth_vert, "depth.vert");

    {
        VkSamplerCreateInfo info{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
        info.magFilter = VK_FILTER_LINEAR;
        info.minFilter = VK_FILTER_LINEAR;
        info.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
        info.addressModeU = info.addressModeV = info.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
        info.maxLod = VK_LOD_CLAMP_NONE;
        VkPhysicalDeviceFeatures features;
        vkGetPhysicalDeviceFeatures(context_.physicalDevice(), &features);
        if (features.samplerAnisotropy) {
            info.anisotropyEnable = VK_TRUE;
            info.maxAnisotropy = std::min(8.0f, context_.properties().limits.maxSamplerAnisotropy);
        }
        VkSampler sampler;
        VK_CHECK(vkCreateSampler(device, &info, nullptr, &sampler));
        materialSampler_ = gpu::Sampler(context_, sampler, "material sampler");
        info.anisotropyEnable = VK_FALSE;
        info.addressModeU = info.addressModeV = info.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
        VK_CHECK(vkCreateSampler(device, &info, nullptr, &sampler));
        environmentSampler_ = gpu::Sampler(context_, sampler, "environment sampler");
        // Depth is read texel by texel: filtering depths across an edge would invent surfaces.
        info.magFilter = info.minFilter = VK_FILTER_NEAREST;
        info.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
        VK_CHECK(vkCreateSampler(device, &info, nullptr, &sampler));
        sceneDepthSampler_ = gpu::Sampler(context_, sampler, "scene depth sampler");
    }

    whiteTexture_ = gpu::Image(context_, {VK_FORMAT_R8G8B8A8_UNORM, {1, 1}, 1, 1, VK_SAMPLE_COUNT_1_BIT,
                                          VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT},
                               "white texture");
    const uint8_t white[4] = {255, 255, 255, 255};
    gpu::uploadImage(context_, whiteTexture_, std::as_bytes(std::span(white)));

    spotShadows_ = std::make_unique<SpotShadows>(context_);
    keyShadow_ = std::make_unique<KeyShadowMap>(context_);
    frameData_ = gpu::Buffer(context_, sizeof(shader::GpuFrame),
                             VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                             gpu::MemoryUse::GpuOnly, "frame data");
    const VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1},
                                           {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 3}};
    frameSet_ = allocateOneSet(context_, frameSetLayout_.get(), sizes, framePool_, "frame descriptor pool");
}

void Renderer::setEnvironment(const scene::Environment& environment) {
    if (haveEnvironment_ && std::memcmp(&environment, &environment_, sizeof environment) == 0) return;
    environment_ = environment;
    haveEnvironment_ = true;
    environmentSh_ = environment.diffuseSh();
    const scene::Environment::Cube cube = environment.bakeCube(kEnvironmentSize);
    environmentMips_ = cube.mipCount;
    std::vector<uint16_t> halfs;
    for (uint32_t level = 0; level < cube.mipCount; ++level)
        for (uint32_t face = 0; face < 6; ++face)
            for (const glm::vec3& texel : cube.mips[level][face]) {
                halfs.push_back(glm::packHalf1x16(texel.r));
                halfs.push_back(glm::packHalf1x16(texel.g));
                halfs.push_back(glm::packHalf1x16(texel.b));
                halfs.push_back(glm::packHalf1x16(1.0f));
            }
    environmentCube_ = gpu::Image(context_,
                                  {VK_FORMAT_R16G16B16A16_SFLOAT, {cube.size, cube.size}, cube.mipCount, 6,
                                   VK_SAMPLE_COUNT_1_BIT, VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
                                   VK_IMAGE_VIEW_TYPE_CUBE},
                                  "environment cube");
    gpu::uploadImageWithMips(context_, environmentCube_, std::as_bytes(std::span(halfs)));

    // The frame set is only used by command buffers recorded after this point, which the caller
    // submits later, so updating it here is safe as long as no frame using it is still pending.
    context_.waitIdle();
    VkDescriptorBufferInfo bufferInfo{frameData_.handle(), 0, sizeof(shader::GpuFrame)};
    VkDescriptorImageInfo imageInfo{environmentSampler_.get(), environmentCube_.view(),
                                    VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkDescriptorImageInfo shadowInfo{spotShadows_->sampler(), spotShadows_->view(),
                                     VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkDescriptorImageInfo keyShadowInfo{keyShadow_->sampler(), keyShadow_->view(),
                                        VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkWriteDescriptorSet writes[4] = {{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET}, {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET},
                                      {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET}, {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET}};
    writes[0].dstSet = frameSet_;
    writes[0].dstBinding = 0;
    writes[0].descriptorCount = 1;
    writes[0].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
    writes[0].pBufferInfo = &bufferInfo;
    writes[1].dstSet = frameSet_;
    writes[1].dstBinding = 1;
    writes[1].descriptorCount = 1;
    writes[1].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    writes[1].pImageInfo = &imageInfo;
    writes[2] = writes[1];
    writes[2].dstBinding = 2;
    writes[2].pImageInfo = &shadowInfo;
    writes[3] = writes[1];
    writes[3].dstBinding = 3;
    writes[3].pImageInfo = &keyShadowInfo;
    vkUpdateDescriptorSets(context_.device(), 4, writes, 0, nullptr);
}

GpuModel Renderer::upload(const asset::Model& model) {
    GpuModel gpuModel;
    gpuModel.uploadId = ++uploads_;
    std::vector<GpuVertex> vertices;
    std::vector<uint32_t> indices;
    interleave(model, vertices, indices, gpuModel.draws);
    gpuModel.bounds = model.bounds();
    gpuModel.triangleCount = indices.size() / 3;
    gpuModel.vertices = gpu::uploadBuffer(context_, std::as_bytes(std::span(vertices)),
                                          VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, model.source + " vertices");
    gpuModel.indices = gpu::uploadBuffer(context_, std::as_bytes(std::span(indices)),
                                         VK_BUFFER_USAGE_INDEX_BUFFER_BIT, model.source + " indices");

    // Textures: one GPU image per (source image, colour space) actually used by a material slot.
    MaterialTextures views;
    views.srgbViews.assign(model.images.size(), VK_NULL_HANDLE);
    views.linearViews.assign(model.images.size(), VK_NULL_HANDLE);
    views.twoChannelNormals.assign(model.images.size(), false);
    auto need = [&](int32_t index, bool srgb) {
        if (index < 0 || size_t(index) >= model.images.size()) return;
        VkImageView& view = srgb ? views.srgbViews[size_t(index)] : views.linearViews[size_t(index)];
        if (view) return;
        const asset::Image& source = model.images[size_t(index)];
        if (source.width == 0 || source.height == 0 || source.rgba.size() != size_t(source.width) * source.height * 4)
            return;
        gpu::Image image(context_,
                         {srgb ? VK_FORMAT_R8G8B8A8_SRGB : VK_FORMAT_R8G8B8A8_UNORM, {source.width, source.height},
                          mipCount(source.width, source.height), 1, VK_SAMPLE_COUNT_1_BIT,
                          VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                              VK_IMAGE_USAGE_TRANSFER_SRC_BIT},
                         model.source + " " + source.name);
        gpu::uploadImage(context_, image, std::as_bytes(std::span(source.rgba)));
        view = image.view();
        gpuModel.textures.push_back(std::move(image));
    };
    for (const asset::Material& material : model.materials) {
        need(material.baseColorTexture, true);
        need(material.emissiveTexture, true);
        need(material.metallicRoughnessTexture, false);
        need(material.occlusionTexture, false);
        need(material.normalTexture, false);
    }
    gpuModel.materialSet = createMaterials(model.materials, views, model.source);
    return gpuModel;
}

GpuMaterialSet Renderer::createMaterials(std::span<const asset::Material> sourceMaterials,
                                         const MaterialTextures& textures, const std::string& label) {
    GpuMaterialSet set;
    auto view = [&](int32_t index, bool srgb) -> VkImageView {
        const auto& views = srgb ? textures.srgbViews : textures.linearViews;
        if (index < 0 || size_t(index) >= views.size() || !views[size_t(index)]) return whiteTexture_.view();
        return views[size_t(index)];
    };
    const size_t materialCount = std::max<size_t>(sourceMaterials.size(), 1);
    const VkDeviceSize alignment = context_.properties().limits.minUniformBufferOffsetAlignment;
    const VkDeviceSize stride = (sizeof(shader::GpuMaterial) + alignment - 1) / alignment * alignment;
    std::vector<std::byte> materialBytes(stride * materialCount);
    set.materials.resize(materialCount);

    VkDescriptorPoolSize sizes[2] = {
        {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, uint32_t(materialCount)},
        {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, uint32_t(materialCount * kMaterialTextureSlots)}};
    VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    poolInfo.maxSets = uint32_t(materialCount);
    poolInfo.poolSizeCount = 2;
    poolInfo.pPoolSizes = sizes;
    VkDescriptorPool pool;
    VK_CHECK(vkCreateDescriptorPool(context_.device(), &poolInfo, nullptr, &pool));
    set.descriptorPool = gpu::DescriptorPool(context_, pool, label + " materials");

    std::vector<std::array<VkImageView, kMaterialTextureSlots>> materialViews(materialCount);
    for (size_t m = 0; m < materialCount; ++m) {
        const asset::Material material = m < sourceMaterials.size() ? sourceMaterials[m] : asset::Material{};
        shader::GpuMaterial gpuMaterial{};
        gpuMaterial.baseColorFactor = material.baseColorFactor;
        gpuMaterial.emissiveAlphaCutoff = glm::vec4(material.emissiveFactor, material.alphaCutoff);
        gpuMaterial.surface = {material.metallicFactor, material.roughnessFactor, material.normalScale,
                               material.occlusionStrength};
        const int32_t normal = material.normalTexture;
        const bool hasNormalMap = normal >= 0 && size_t(normal) < textures.linearViews.size() &&
                                  textures.linearViews[size_t(normal)] != VK_NULL_HANDLE;
        const bool twoChannel = hasNormalMap && size_t(normal) < textures.twoChannelNormals.size() &&
                                textures.twoChannelNormals[size_t(normal)];
        gpuMaterial.flags = {uint32_t(material.alphaMode), hasNormalMap ? 1u : 0u, material.doubleSided ? 1u : 0u,
                             twoChannel ? 1u : 0u};
        std::memcpy(materialBytes.data() + stride * m, &gpuMaterial, sizeof gpuMaterial);
        materialViews[m] = {view(material.baseColorTexture, true), view(material.metallicRoughnessTexture, false),
                            view(material.normalTexture, false), view(material.occlusionTexture, false),
                            view(material.emissiveTexture, true)};
        set.materials[m].alphaMode = material.alphaMode;
        set.materials[m].doubleSided = material.doubleSided;
    }
    set.materialData = gpu::uploadBuffer(context_, materialBytes, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                         label + " material data");

    for (size_t m = 0; m < materialCount; ++m) {
        VkDescriptorSetLayout layout = materialSetLayout_.get();
        VkDescriptorSetAllocateInfo allocateInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        allocateInfo.descriptorPool = pool;
        allocateInfo.descriptorSetCount = 1;
        allocateInfo.pSetLayouts = &layout;
        VK_CHECK(vkAllocateDescriptorSets(context_.device(), &allocateInfo, &set.materials[m].set));
        VkDescriptorBufferInfo bufferInfo{set.materialData.handle(), stride * m, sizeof(shader::GpuMaterial)};
        VkDescriptorImageInfo imageInfos[kMaterialTextureSlots];
        VkWriteDescriptorSet writes[1 + kMaterialTextureSlots];
        writes[0] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[0].dstSet = set.materials[m].set;
        writes[0].dstBinding = 0;
        writes[0].descriptorCount = 1;
        writes[0].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
        writes[0].pBufferInfo = &bufferInfo;
        for (uint32_t slot = 0; slot < kMaterialTextureSlots; ++slot) {
            imageInfos[slot] = {materialSampler_.get(), materialViews[m][slot], VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
            writes[1 + slot] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
            writes[1 + slot].dstSet = set.materials[m].set;
            writes[1 + slot].dstBinding = 1 + slot;
            writes[1 + slot].descriptorCount = 1;
            writes[1 + slot].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
            writes[1 + slot].pImageInfo = &imageInfos[slot];
        }
        vkUpdateDescriptorSets(context_.device(), 1 + kMaterialTextureSlots, writes, 0, nullptr);
    }
    return set;
}

const gpu::Pipeline& Renderer::pipeline(uint32_t viewCount, bool blend) {
    gpu::Pipeline& slot = pipelines_[(viewCount - 1) * 2 + (blend ? 1 : 0)];
    if (slot) return slot;
    gpu::GraphicsPipelineDesc desc;
    desc.layout = pipelineLayout_.get();
    desc.vertex = vertexShader_.get();
    desc.fragment = fragmentShader_.get();
    // From arrays rather than initializer lists: GCC 14's -Warray-bounds misfires on the latter under
    // the sanitizers.
    static constexpr VkVertexInputBindingDescription kBinding{0, sizeof(GpuVertex), VK_VERTEX_INPUT_RATE_VERTEX};
    static constexpr VkVertexInputAttributeDescription kAttributes[] = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(GpuVertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(GpuVertex, normal)},
        {2, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(GpuVertex, texcoord)},
        {3, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(GpuVertex, color)},
        {4, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(GpuVertex, tangent)},
    };
    desc.bindings.assign(&kBinding, &kBinding + 1);
    desc.attributes.assign(std::begin(kAttributes), std::end(kAttributes));
    desc.colorFormat = options_.colorFormat;
    desc.depthFormat = kDepthFormat;
    desc.samples = static_cast<VkSampleCountFlagBits>(samples_);
    desc.viewMask = viewCount == 2 ? 0b11u : 0u;
    desc.depthWrite = !blend;
    desc.alphaBlend = blend;
    desc.alphaToCoverage = !blend;
    slot = gpu::createGraphicsPipeline(context_, desc, blend ? "forward blend" : "forward opaque");
    return slot;
}

const gpu::Pipeline& Renderer::depthPipeline(uint32_t viewCount) {
    gpu::Pipeline& slot = depthPipelines_[viewCount - 1];
    if (slot) return slot;
    gpu::GraphicsPipelineDesc desc;
    desc.layout = pipelineLayout_.get();
    desc.vertex = depthVertexShader_.get();
    usePositionOnlyInput(desc);
    desc.depthFormat = kDepthFormat;
    desc.viewMask = viewCount == 2 ? 0b11u : 0u;
    slot = gpu::createGraphicsPipeline(context_, desc, "depth prepass");
    return slot;
}

void Renderer::ensureAttachments(VkExtent2D extent, uint32_t viewCount) {
    if (attachmentExtent_.width == extent.width && attachmentExtent_.height == extent.height &&
        attachmentViews_ == viewCount && depth_)
        return;
    attachmentExtent_ = extent;
    attachmentViews_ = viewCount;
    const VkImageViewType viewType = viewCount > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D;
    const auto samples = static_cast<VkSampleCountFlagBits>(samples_);
    if (samples_ > 1)
        msaaColor_ = gpu::Image(context_,
                                {options_.colorFormat, extent, 1, viewCount, samples,
                                 VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                                 viewType, true},
                                "msaa colour");
    depth_ = gpu::Image(context_,
                        {kDepthFormat, extent, 1, viewCount, samples,
                         VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT, viewType,
                         true},
                        "depth");
    sceneDepth_ = gpu::Image(context_,
                             {kDepthFormat, extent, 1, viewCount, VK_SAMPLE_COUNT_1_BIT,
                              VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT,
                              VK_IMAGE_VIEW_TYPE_2D_ARRAY},
                             "scene depth");
    // A set of its own for the new image; the old pool (and its set) retires with the frames using it.
    const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1};
    sceneDepthSet_ = allocateOneSet(context_, depthSetLayout_.get(), std::span(&size, 1), sceneDepthPool_,
                                    "scene depth descriptor pool");
    VkDescriptorImageInfo imageInfo{sceneDepthSampler_.get(), sceneDepth_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = sceneDepthSet_;
    write.dstBinding = 0;
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    write.pImageInfo = &imageInfo;
    vkUpdateDescriptorSets(context_.device(), 1, &write, 0, nullptr);
}

void Renderer::recordDepthPrepass(VkCommandBuffer commands, const FrameInput& input, const RenderTarget& target,
                                  bool contactShadows) {
    // Earlier frames' fragment shaders may still read the depth: wait for them (write-after-read).
    constexpr VkPipelineStageFlags2 kTests =
        VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT;
    if (!contactShadows) {
        // Not read (the shader checks the quality first), but bound: it must be in the set's layout.
        gpu::transition(commands, {sceneDepth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                   VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                   VK_ACCESS_2_SHADER_SAMPLED_READ_BIT});
        return;
    }
    gpu::transition(commands, {sceneDepth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                               VK_ACCESS_2_NONE, kTests,
                               VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT |
                                   VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT});
    VkRenderingAttachmentInfo depth = clearedDepth(sceneDepth_.view(), VK_ATTACHMENT_STORE_OP_STORE);
    VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
    rendering.renderArea = {{0, 0}, target.extent};
    rendering.layerCount = 1;
    rendering.viewMask = target.viewCount == 2 ? 0b11u : 0u;
    rendering.pDepthAttachment = &depth;
    vkCmdBeginRendering(commands, &rendering);
    setViewportAndScissor(commands, target.extent);
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, depthPipeline(target.viewCount).get());
    VkDescriptorSet frameSet = frameSet_;
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_.get(), 0, 1, &frameSet, 0,
                            nullptr);
    // Opaque surfaces only: alpha-tested ones would need their textures, blended ones cast no contact.
    GeometryBinder bindGeometry;
    forEachDraw(input, [&](const DrawRef& ref) {
        if (ref.material->alphaMode != asset::AlphaMode::Opaque) return;
        bindGeometry(commands, ref);
        const DrawConstants constants{*ref.worldFromModel, {0u, 0u, 0u, 0u}};
        vkCmdPushConstants(commands, pipelineLayout_.get(), VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof constants, &constants);
        setFaceState(commands, ref);
        vkCmdDrawIndexed(commands, ref.indexCount, 1, ref.firstIndex, ref.vertexOffset, 0);
    });
    vkCmdEndRendering(commands);
    gpu::transition(commands, {sceneDepth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, kTests,
                               VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                               VK_ACCESS_2_SHADER_SAMPLED_READ_BIT});
}

void Renderer::fillFrameData(const FrameInput& input, std::span<const SpotShadow> shadows, const KeyShadow& keyShadow,
                             void* out) const {
    const scene::Lighting& lighting = *input.lighting;
    shader::GpuFrame frame{};
    for (size_t i = 0; i < input.views.size() && i < VT_MAX_VIEWS; ++i) {
        frame.views[i].clipFromWorld = input.views[i].clipFromWorld();
        // w: the projection's near distance; reversed infinite Z puts view depth at near / depth.
        frame.views[i].position = glm::vec4(input.views[i].position, input.views[i].clipFromView[3][2]);
    }
    frame.sunDirection = glm::vec4(-glm::normalize(lighting.sun.direction), 0.0f);
    frame.sunColor = glm::vec4(lighting.sun.color * lighting.sun.intensity, 0.0f);
    for (int i = 0; i < 9; ++i) frame.sh[i] = glm::vec4(environmentSh_[i], 0.0f);
    frame.params = {lighting.exposure, float(environmentMips_), lighting.ambientIntensity,
                    1.0f / float(kSpotShadowMapSize)};
    const uint32_t spotCount = uint32_t(std::min<size_t>(lighting.spots.size(), VT_MAX_SPOT_LIGHTS));
    frame.counts = {spotCount, lighting.toneMapper == scene::ToneMapper::AcesFilmic ? VT_TONEMAP_ACES
                                                                                    : VT_TONEMAP_PBR_NEUTRAL,
                    0u, 0u};
    for (uint32_t i = 0; i < spotCount; ++i) {
        const scene::SpotLight& spot = lighting.spots[i];
        frame.spots[i].positionRange = glm::vec4(spot.position, spot.range);
        frame.spots[i].directionCosOuter = glm::vec4(glm::normalize(spot.direction), std::cos(spot.outerConeRadians));
        frame.spots[i].colorCosInner = glm::vec4(spot.color * spot.intensity, std::cos(spot.innerConeRadians));
        const SpotShadow& shadow = shadows[i];
        frame.spots[i].shadow = glm::vec4(float(shadow.layer), shadow.texelPerMetre, 0.0f, 0.0f);
        if (shadow.layer >= 0) frame.shadowFromWorld[shadow.layer] = shadow.shadowFromWorld;
    }
    frame.keyShadowFromWorld = keyShadow.shadowFromWorld;
    frame.keyShadow = {keyShadow.enabled ? 1.0f : 0.0f, keyShadow.texelMetres, 1.0f / float(kKeyShadowMapSize), 0.0f};
    const QualitySettings& quality = options_.quality;
    frame.quality = {uint32_t(quality.spotShadows), uint32_t(quality.keyShadow), uint32_t(quality.contactShadows), 0u};
    std::memcpy(out, &frame, sizeof frame);
}

FrameStats Renderer::record(VkCommandBuffer commands, const FrameInput& input, const RenderTarget& target) {
    VT_CHECK(input.lighting != nullptr, "FrameInput needs lighting");
    VT_CHECK(input.views.size() == target.viewCount && (target.viewCount == 1 || target.viewCount == 2),
             "the target's viewCount must match the number of views (1 or 2)");
    FrameStats stats;
    const uint32_t viewCount = target.viewCount;
    ensureAttachments(target.extent, viewCount);

    // Per-frame data goes in through the command buffer, so frames in flight never race on a mapped
    // buffer: wait for earlier frames' shader reads, write, then make the write visible to shaders.
    // Spot shadow maps first (only the layers whose light or draws changed); both eyes share them.
    // Features switched off record nothing and leave their caches as they were.
    spotShadows_->prepare(commands);
    keyShadow_->prepare(commands);
    const std::vector<SpotShadow> shadows =
        options_.quality.spotShadows == Quality::Off
            ? std::vector<SpotShadow>(input.lighting->spots.size())
            : spotShadows_->update(commands, input, stats.shadowMapRenders);
    const KeyShadow keyShadow = options_.quality.keyShadow == Quality::Off
                                    ? KeyShadow{}
                                    : keyShadow_->update(commands, input, stats.keyShadowRenders);
    shader::GpuFrame frame;
    fillFrameData(input, shadows, keyShadow, &frame);
    VkMemoryBarrier2 beforeWrite{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    beforeWrite.srcStageMask = VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    beforeWrite.dstStageMask = VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT;
    beforeWrite.dstAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
    VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dependency.memoryBarrierCount = 1;
    dependency.pMemoryBarriers = &beforeWrite;
    vkCmdPipelineBarrier2(commands, &dependency);
    vkCmdUpdateBuffer(commands, frameData_.handle(), 0, sizeof frame, &frame);
    VkMemoryBarrier2 afterWrite{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    afterWrite.srcStageMask = VK_PIPELINE_STAGE_2_ALL_TRANSFER_BIT;
    afterWrite.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
    afterWrite.dstStageMask = VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    afterWrite.dstAccessMask = VK_ACCESS_2_UNIFORM_READ_BIT;
    dependency.pMemoryBarriers = &afterWrite;
    vkCmdPipelineBarrier2(commands, &dependency);

    // The depth prepass, for contact shadows (both eyes in one multiview pass).
    recordDepthPrepass(commands, input, target, options_.quality.contactShadows != Quality::Off);

    // Attachments: discard old contents; previous frames' writes must finish first (write-after-write).
    const bool msaa = samples_ > 1;
    gpu::transition(commands, {target.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, target.initialStage, VK_ACCESS_2_NONE,
                               VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                               VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT});
    if (msaa)
        gpu::transition(commands, {msaaColor_.handle(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                                   VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
                                   VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT});
    gpu::transition(commands, {depth_.handle(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                               VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                               VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
                               VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
                               VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
                               VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                                   VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT});

    if (target.depthCopy)
        gpu::transition(commands, {target.depthCopy, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                                   VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                   VK_ACCESS_2_NONE, kDepthCopyStages, kDepthCopyAccess});

    VkRenderingAttachmentInfo color{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
    color.imageView = msaa ? msaaColor_.view() : target.view;
    color.imageLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
    color.storeOp = msaa ? VK_ATTACHMENT_STORE_OP_DONT_CARE : VK_ATTACHMENT_STORE_OP_STORE;
    color.clearValue.color = {{options_.clearColor.r, options_.clearColor.g, options_.clearColor.b,
                               options_.clearColor.a}};
    if (msaa) {
        color.resolveMode = VK_RESOLVE_MODE_AVERAGE_BIT;
        color.resolveImageView = target.view;
        color.resolveImageLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    }
    VkRenderingAttachmentInfo depth = clearedDepth(depth_.view(), VK_ATTACHMENT_STORE_OP_DONT_CARE);
    if (target.depthCopy && msaa) {
        depth.resolveMode = VK_RESOLVE_MODE_SAMPLE_ZERO_BIT;  // the one depth resolve every device supports
        depth.resolveImageView = target.depthCopyView;
        depth.resolveImageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
    } else if (target.depthCopy) {
        depth.imageView = target.depthCopyView;
        depth.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
    }

    VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
    rendering.renderArea = {{0, 0}, target.extent};
    rendering.layerCount = 1;  // ignored under multiview, where viewMask selects the layers
    rendering.viewMask = viewCount == 2 ? 0b11u : 0u;
    rendering.colorAttachmentCount = 1;
    rendering.pColorAttachments = &color;
    rendering.pDepthAttachment = &depth;
    vkCmdBeginRendering(commands, &rendering);

    setViewportAndScissor(commands, target.extent);
    VkDescriptorSet frameSet = frameSet_;
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_.get(), 0, 1, &frameSet, 0,
                            nullptr);

    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_.get(), 2, 1, &sceneDepthSet_, 0,
                            nullptr);

    // Opaque and alpha-tested surfaces first, then blended ones over them (unsorted for now).
    GeometryBinder bindGeometry;
    for (const bool blendPass : {false, true}) {
        vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline(viewCount, blendPass).get());
        forEachDraw(input, [&](const DrawRef& ref) {
            if ((ref.material->alphaMode == asset::AlphaMode::Blend) != blendPass) return;
            bindGeometry(commands, ref);
            const DrawConstants constants{*ref.worldFromModel, {ref.hasTexcoords ? 1u : 0u, 0u, 0u, 0u}};
            vkCmdPushConstants(commands, pipelineLayout_.get(),
                               VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof constants,
                               &constants);
            setFaceState(commands, ref);
            vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelineLayout_.get(), 1, 1,
                                    &ref.material->set, 0, nullptr);
            vkCmdDrawIndexed(commands, ref.indexCount, 1, ref.firstIndex, ref.vertexOffset, 0);
            stats.drawCalls++;
            stats.trianglesSubmitted += ref.indexCount / 3;
        });
    }
    vkCmdEndRendering(commands);

    if (target.depthCopy)
        gpu::transition(commands, {target.depthCopy, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                                   VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, kDepthCopyStages, kDepthCopyAccess,
                                   VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT});
    if (target.finalLayout != VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL || target.finalStage != VK_PIPELINE_STAGE_2_NONE)
        gpu::transition(commands, {target.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   target.finalLayout, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                   VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, target.finalStage, target.finalAccess});
    return stats;
}

}  // namespace vt::render
