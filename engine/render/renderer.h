#pragma once
// The forward PBR renderer.
//
// Draws a scene from one or two views into an output image it does not own: a swapchain image, an
// OpenXR swapchain image or a headless image. It never acquires or presents. Two views render in a
// single multiview pass into a two-layer target; gl_ViewIndex is 0 with one view, so mono and stereo
// share every shader.

#include <array>
#include <memory>
#include <span>
#include <string>

#include <glm/glm.hpp>

#include "asset/model.h"
#include "core/result.h"
#include "gpu/context.h"
#include "gpu/pipeline.h"
#include "gpu/resources.h"
#include "render/gpu_model.h"
#include "render/shadows.h"
#include "scene/camera.h"
#include "scene/lighting.h"

namespace vt::render {

// Quality per lighting feature (off / low / high); see Quality in render/shadows.h.
struct QualitySettings {
    Quality spotShadows = Quality::High;     // Low: one filtered tap per lookup; High: 3x3 taps
    Quality keyShadow = Quality::High;       // the key light's map (when its light has a shadow region)
    Quality contactShadows = Quality::High;  // Low: 8 steps of the screen-space march; High: 16
};

struct RendererOptions {
    VkFormat colorFormat = VK_FORMAT_R8G8B8A8_SRGB;  // the output image's format; must be an sRGB format
    uint32_t msaaSamples = 4;                        // clamped to what the device supports; 1 disables MSAA
    glm::vec4 clearColor{0.045f, 0.045f, 0.05f, 1.0f};  // linear background
    QualitySettings quality;
};

// The image to draw into, owned by the caller. Layer i receives view i.
struct RenderTarget {
    VkImage image = VK_NULL_HANDLE;
    VkImageView view = VK_NULL_HANDLE;  // 2D (one view) or 2D_ARRAY with viewCount layers
    VkExtent2D extent{};
    uint32_t viewCount = 1;
    // The image's previous contents are discarded. Writes wait for `initialStage` (where the caller's
    // acquire semaphore waits); the image leaves in `finalLayout`, visible to `finalStage`/`finalAccess`.
    VkPipelineStageFlags2 initialStage = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
    VkImageLayout finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
    VkPipelineStageFlags2 finalStage = VK_PIPELINE_STAGE_2_COPY_BIT;
    VkAccessFlags2 finalAccess = VK_ACCESS_2_TRANSFER_READ_BIT;
    // Optional, for picking and measuring: a 1-sample VK_FORMAT_D32_SFLOAT image of the target's extent
    // and layer count (usage DEPTH_STENCIL_ATTACHMENT | TRANSFER_SRC) that receives the frame's depth
    // (sample 0 under MSAA; reversed Z, 0 = nothing drawn). Its previous contents are discarded; it
    // leaves in TRANSFER_SRC_OPTIMAL, visible to copies.
    VkImage depthCopy = VK_NULL_HANDLE;
    VkImageView depthCopyView = VK_NULL_HANDLE;
};

struct DrawItem {
    const GpuModel* model = nullptr;
    glm::mat4 worldFromModel{1.0f};  // rotation, translation and uniform scale
};

// One streamed cluster (or any indexed range) in buffers the caller owns, drawn with one of the
// caller's material sets. The buffers hold GpuVertex vertices and 32-bit indices.
struct ClusterDraw {
    VkBuffer vertices = VK_NULL_HANDLE;
    VkBuffer indices = VK_NULL_HANDLE;
    uint32_t firstIndex = 0;
    uint32_t indexCount = 0;
    int32_t vertexOffset = 0;
    const GpuMaterialBinding* material = nullptr;
    bool hasTexcoords = false;
    glm::mat4 worldFromModel{1.0f};
};

struct FrameInput {
    std::span<const scene::View> views;  // one or two
    std::span<const DrawItem> items;
    std::span<const ClusterDraw> clusters;  // streamed geometry, drawn after `items`
    const scene::Lighting* lighting = nullptr;
};

// One indexed draw of a frame, as every pass sees it.
struct DrawRef {
    VkBuffer vertices = VK_NULL_HANDLE;
    VkBuffer indices = VK_NULL_HANDLE;
    const GpuMaterialBinding* material = nullptr;
    const glm::mat4* worldFromModel = nullptr;
    bool hasTexcoords = false;
    uint32_t firstIndex = 0;
    uint32_t indexCount = 0;
    int32_t vertexOffset = 0;
};

// Calls f(const DrawRef&) for every draw of the input: the models' draws, then the streamed clusters
// (a cluster without a material is skipped).
template <class F>
void forEachDraw(const FrameInput& input, F&& f) {
    for (const DrawItem& item : input.items)
        for (const GpuDraw& draw : item.model->draws)
            f(DrawRef{item.model->vertices.handle(), item.model->indices.handle(),
                      &item.model->materialSet.materials[draw.material], &item.worldFromModel, draw.hasTexcoords,
                      draw.firstIndex, draw.indexCount, draw.vertexOffset});
    for (const ClusterDraw& cluster : input.clusters)
        if (cluster.material)
            f(DrawRef{cluster.vertices, cluster.indices, cluster.material, &cluster.worldFromModel,
                      cluster.hasTexcoords, cluster.firstIndex, cluster.indexCount, cluster.vertexOffset});
}

struct FrameStats {
    uint64_t trianglesSubmitted = 0;
    uint32_t drawCalls = 0;
    uint32_t shadowMapRenders = 0;  // spot shadow layers re-rendered this frame (0 when nothing changed)
    uint32_t keyShadowRenders = 0;  // 1 when the key light's map was re-rendered this frame
};

class Renderer {
public:
    static Result<std::unique_ptr<Renderer>> create(gpu::Context& context, const RendererOptions& options);
    ~Renderer();

    // Uploads a model's geometry, textures and materials (waits for the copies).
    GpuModel upload(const asset::Model& model);

    // Material parameters and descriptor sets for `materials`, whose texture fields index `textures`
    // (missing or null views bind a white texture).
    GpuMaterialSet createMaterials(std::span<const asset::Material> materials, const MaterialTextures& textures,
                                   const std::string& label);

    // Re-bakes the image-based light when the environment differs from the current one.
    void setEnvironment(const scene::Environment& environment);

    // Records the frame into `commands` (outside any rendering). The target's viewCount must equal
    // input.views.size().
    FrameStats record(VkCommandBuffer commands, const FrameInput& input, const RenderTarget& target);

    uint32_t msaaSamples() const { return samples_; }

    // Takes effect from the next record(); the caches stay valid.
    void setQuality(const QualitySettings& quality) { options_.quality = quality; }
    const QualitySettings& quality() const { return options_.quality; }

private:
    explicit Renderer(gpu::Context& context) : context_(context) {}
    void createLayouts();
    const gpu::Pipeline& pipeline(uint32_t viewCount, bool blend);
    const gpu::Pipeline& depthPipeline(uint32_t viewCount);
    void ensureAttachments(VkExtent2D extent, uint32_t viewCount);
    void recordDepthPrepass(VkCommandBuffer commands, const FrameInput& input, const RenderTarget& target,
                            bool contactShadows);
    void fillFrameData(const FrameInput& input, std::span<const SpotShadow> shadows, const KeyShadow& keyShadow,
                       void* out) const;

    gpu::Context& context_;
    RendererOptions options_;
    uint32_t samples_ = 1;

    gpu::DescriptorSetLayout frameSetLayout_;
    gpu::DescriptorSetLayout materialSetLayout_;
    gpu::DescriptorSetLayout depthSetLayout_;  // set 2: the depth prepass's depth, for contact shadows
    gpu::PipelineLayout pipelineLayout_;
    gpu::ShaderModule vertexShader_;
    gpu::ShaderModule fragmentShader_;
    std::array<gpu::Pipeline, 4> pipelines_;  // [viewCount - 1][blend]
    gpu::ShaderModule depthVertexShader_;
    std::array<gpu::Pipeline, 2> depthPipelines_;  // [viewCount - 1]: the depth prepass

    gpu::Sampler materialSampler_;
    gpu::Sampler environmentSampler_;
    gpu::Image whiteTexture_;
    gpu::Image environmentCube_;
    uint32_t environmentMips_ = 1;
    std::array<glm::vec3, 9> environmentSh_{};
    scene::Environment environment_;
    bool haveEnvironment_ = false;

    std::unique_ptr<SpotShadows> spotShadows_;
    std::unique_ptr<KeyShadowMap> keyShadow_;
    uint64_t uploads_ = 0;

    gpu::Buffer frameData_;
    gpu::DescriptorPool framePool_;
    VkDescriptorSet frameSet_ = VK_NULL_HANDLE;

    gpu::Image msaaColor_;
    gpu::Image depth_;
    // Single-sample depth of the opaque surfaces, one layer per view (the prepass), read by the
    // forward pass's contact shadows through its own descriptor set, made with the image: a resize
    // retires the old pair with the frames that use them, without waiting.
    gpu::Image sceneDepth_;
    gpu::DescriptorPool sceneDepthPool_;
    VkDescriptorSet sceneDepthSet_ = VK_NULL_HANDLE;
    gpu::Sampler sceneDepthSampler_;
    VkExtent2D attachmentExtent_{};
    uint32_t attachmentViews_ = 0;
};

}  // namespace vt::render
