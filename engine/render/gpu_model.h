#pragma once
// A model's geometry, textures and materials on the GPU, ready for the renderer to draw.
// Made by Renderer::upload; owns its GPU objects (destroyed deferred, see gpu/resources.h).

#include <cstdint>
#include <vector>

#include "asset/model.h"
#include "gpu/resources.h"

namespace vt::render {

// The vertex layout of the forward pass (64 bytes, interleaved).
struct GpuVertex {
    glm::vec3 position;
    glm::vec3 normal;
    glm::vec2 texcoord;
    glm::vec4 color;    // linear RGBA, white when the mesh has no colours
    glm::vec4 tangent;  // w = 0 when absent: the shader derives a frame from derivatives
};
static_assert(sizeof(GpuVertex) == 64);

struct GpuDraw {
    uint32_t firstIndex = 0;
    uint32_t indexCount = 0;
    int32_t vertexOffset = 0;
    uint32_t material = 0;
    bool hasTexcoords = false;
};

// Push constants of the forward pass (must match `Push` in pbr.vert and pbr.frag).
struct DrawConstants {
    glm::mat4 worldFromModel;
    glm::uvec4 flags;  // x: the mesh has texture coordinates
};
static_assert(sizeof(DrawConstants) == 80);

struct GpuMaterialBinding {
    VkDescriptorSet set = VK_NULL_HANDLE;
    asset::AlphaMode alphaMode = asset::AlphaMode::Opaque;
    bool doubleSided = false;
};

// A model's or artifact's materials on the GPU: parameters and one descriptor set per material.
struct GpuMaterialSet {
    gpu::Buffer materialData;  // GpuMaterial records at the device's uniform offset alignment
    gpu::DescriptorPool descriptorPool;
    std::vector<GpuMaterialBinding> materials;
};

// How a material's textures are bound: a view per pack/model texture index, plus how normal maps
// store their data.
struct MaterialTextures {
    std::vector<VkImageView> srgbViews;    // by texture index: the view used for colour slots
    std::vector<VkImageView> linearViews;  // by texture index: the view used for data slots
    std::vector<bool> twoChannelNormals;   // by texture index: BC5 normal maps (Z rebuilt in the shader)
};

struct GpuModel {
    gpu::Buffer vertices;
    gpu::Buffer indices;
    std::vector<gpu::Image> textures;
    GpuMaterialSet materialSet;
    std::vector<GpuDraw> draws;
    asset::Bounds bounds;
    size_t triangleCount = 0;
    uint64_t uploadId = 0;  // unique per Renderer::upload, so caches never confuse a model with one at its old address
};

// Interleaves every mesh of `model` into one vertex array and one index array, recording a draw per
// mesh. Pure CPU work, separated so it can be tested without a GPU.
void interleave(const asset::Model& model, std::vector<GpuVertex>& vertices, std::vector<uint32_t>& indices,
                std::vector<GpuDraw>& draws);

}  // namespace vt::render
