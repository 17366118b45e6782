#pragma once
// The in-memory form of a scan or model, as every importer produces it and the renderer consumes it.
//
// Geometry is flattened into world space (node transforms applied) so a consumer never needs the
// source file's scene graph. Every Mesh is an indexed triangle list whose attribute arrays all have
// positions.size() entries or are empty (absent). Importers guarantee: at least one triangle in the
// model, all indices < positions.size(), all positions finite, normals present and unit length.

#include <cstdint>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "core/bounds.h"

namespace vt::asset {

// Decoded texel data, always 8-bit RGBA. Colour space is decided by the material slot that uses it
// (base colour and emissive are sRGB, the rest linear), as glTF specifies.
struct Image {
    std::string name;  // file name or "embedded #N", for messages
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> rgba;  // width * height * 4 bytes, rows top to bottom
    // The file's own bytes when the texels were decoded from a JPEG (a converter may store them as
    // they are instead of encoding the texels again); empty otherwise.
    std::vector<uint8_t> jpeg;
};

enum class AlphaMode : uint8_t { Opaque, Mask, Blend };

constexpr int32_t kNoTexture = -1;

// glTF 2.0 metallic-roughness material. Texture fields index Model::images or are kNoTexture.
struct Material {
    std::string name;
    glm::vec4 baseColorFactor{1.0f};
    glm::vec3 emissiveFactor{0.0f};
    float metallicFactor = 1.0f;
    float roughnessFactor = 1.0f;
    float normalScale = 1.0f;
    float occlusionStrength = 1.0f;
    float alphaCutoff = 0.5f;
    AlphaMode alphaMode = AlphaMode::Opaque;
    bool doubleSided = false;
    int32_t baseColorTexture = kNoTexture;
    int32_t metallicRoughnessTexture = kNoTexture;  // G = roughness, B = metallic
    int32_t normalTexture = kNoTexture;             // tangent space, needs texcoords
    int32_t occlusionTexture = kNoTexture;          // R = occlusion
    int32_t emissiveTexture = kNoTexture;
};

struct Mesh {
    std::string name;
    std::vector<glm::vec3> positions;
    std::vector<glm::vec3> normals;    // unit length; always present after import
    std::vector<glm::vec4> tangents;   // xyz unit, w = bitangent sign; may be empty
    std::vector<glm::vec2> texcoords;  // glTF convention: (0,0) is the image's top-left; may be empty
    std::vector<glm::vec4> colors;     // linear RGBA vertex colours; may be empty
    std::vector<uint32_t> indices;     // triangle list
    uint32_t material = 0;             // index into Model::materials
};

using vt::Bounds;

struct Model {
    std::string source;  // path it was read from, for messages
    std::vector<Mesh> meshes;
    std::vector<Material> materials;  // never empty after import: a default material is added if needed
    std::vector<Image> images;

    size_t triangleCount() const;
    size_t vertexCount() const;
    Bounds bounds() const;
};

}  // namespace vt::asset
