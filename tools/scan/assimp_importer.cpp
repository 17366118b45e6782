#include "assimp_importer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <assimp/Importer.hpp>
#include <assimp/material.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>

#include "color.h"
#include "image_decode.h"

namespace vt::scan {
namespace {

class AssimpConverter {
public:
    AssimpConverter(const aiScene& source, std::string_view labelText, std::filesystem::path directory)
        : scene(source), label(labelText), baseDir(std::move(directory)) {}

    Result<asset::Model> run() {
        model.source = std::string(label);
        for (unsigned i = 0; i < scene.mNumMaterials; ++i) {
            Result<asset::Material> material = convertMaterial(*scene.mMaterials[i]);
            if (!material) return std::unexpected(material.error());
            model.materials.push_back(std::move(*material));
        }
        for (unsigned i = 0; i < scene.mNumMeshes; ++i) convertMesh(*scene.mMeshes[i]);
        return std::move(model);
    }

private:
    void convertMesh(const aiMesh& source) {
        if (!(source.mPrimitiveTypes & aiPrimitiveType_TRIANGLE) || !source.mVertices) return;
        asset::Mesh mesh;
        mesh.name = source.mName.C_Str();
        const unsigned n = source.mNumVertices;
        mesh.positions.resize(n);
        for (unsigned v = 0; v < n; ++v)
            mesh.positions[v] = {source.mVertices[v].x, source.mVertices[v].y, source.mVertices[v].z};
        if (source.mNormals) {
            mesh.normals.resize(n);
            for (unsigned v = 0; v < n; ++v) mesh.normals[v] = {source.mNormals[v].x, source.mNormals[v].y, source.mNormals[v].z};
        }
        if (source.mTangents && source.mBitangents && source.mNormals) {
            mesh.tangents.resize(n);
            for (unsigned v = 0; v < n; ++v) {
                const glm::vec3 t(source.mTangents[v].x, source.mTangents[v].y, source.mTangents[v].z);
                const glm::vec3 b(source.mBitangents[v].x, source.mBitangents[v].y, source.mBitangents[v].z);
                const float sign = glm::dot(glm::cross(mesh.normals[v], t), b) < 0.0f ? -1.0f : 1.0f;
                mesh.tangents[v] = glm::vec4(t, sign);
            }
        }
        if (source.mTextureCoords[0]) {
            mesh.texcoords.resize(n);
            for (unsigned v = 0; v < n; ++v) mesh.texcoords[v] = {source.mTextureCoords[0][v].x, source.mTextureCoords[0][v].y};
        }
        if (source.mColors[0]) {
            mesh.colors.resize(n);
            for (unsigned v = 0; v < n; ++v) {
                const aiColor4D c = source.mColors[0][v];
                mesh.colors[v] = {srgbToLinear(c.r), srgbToLinear(c.g), srgbToLinear(c.b), std::clamp(c.a, 0.0f, 1.0f)};
            }
        }
        mesh.indices.reserve(size_t(source.mNumFaces) * 3);
        for (unsigned f = 0; f < source.mNumFaces; ++f) {
            const aiFace& face = source.mFaces[f];
            if (face.mNumIndices != 3 || !face.mIndices) continue;  // SortByPType leaves only triangles; be sure
            mesh.indices.insert(mesh.indices.end(), {face.mIndices[0], face.mIndices[1], face.mIndices[2]});
        }
        mesh.material = source.mMaterialIndex;
        model.meshes.push_back(std::move(mesh));
    }

    // Embedded ("*N" or a name Assimp matches) or a file relative to the model.
    Result<int32_t> loadTexture(const aiMaterial& material, const std::vector<aiTextureType>& types,
                                const std::string& where) {
        aiString path;
        bool found = false;
        for (aiTextureType type : types)
            if (material.GetTextureCount(type) > 0 && material.GetTexture(type, 0, &path) == AI_SUCCESS) {
                found = true;
                break;
            }
        if (!found || path.length == 0) return asset::kNoTexture;
        std::string name = path.C_Str();
        if (const auto it = imageByName.find(name); it != imageByName.end()) return it->second;

        Result<asset::Image> image = fail("no image");
        if (const aiTexture* embedded = scene.GetEmbeddedTexture(name.c_str())) {
            if (embedded->mHeight == 0) {  // compressed (PNG/JPEG bytes), mWidth is the byte count
                image = decodeImage({reinterpret_cast<const uint8_t*>(embedded->pcData), embedded->mWidth}, name);
            } else {
                asset::Image raw{name, embedded->mWidth, embedded->mHeight, {}};
                raw.rgba.resize(size_t(raw.width) * raw.height * 4);
                for (size_t i = 0; i < size_t(raw.width) * raw.height; ++i) {
                    const aiTexel t = embedded->pcData[i];
                    raw.rgba[i * 4 + 0] = t.r;
                    raw.rgba[i * 4 + 1] = t.g;
                    raw.rgba[i * 4 + 2] = t.b;
                    raw.rgba[i * 4 + 3] = t.a;
                }
                image = std::move(raw);
            }
        } else {
            std::string relative = name;
            std::ranges::replace(relative, '\\', '/');  // paths written on Windows
            std::filesystem::path file = baseDir / relative;
            std::error_code ec;
            // Exporters often write absolute paths from the author's machine: fall back to the bare file name.
            if (!std::filesystem::is_regular_file(file, ec))
                if (const auto bare = baseDir / std::filesystem::path(relative).filename();
                    std::filesystem::is_regular_file(bare, ec))
                    file = bare;
            if (!std::filesystem::is_regular_file(file, ec))
                return fail("{}: {}: texture file '{}' not found (looked for {})", label, where, name, file.string());
            image = loadImageFile(file);
        }
        if (!image) return fail("{}: {}: {}", label, where, image.error().message);
        const int32_t index = int32_t(model.images.size());
        model.images.push_back(std::move(*image));
        imageByName.emplace(name, index);
        return index;
    }

    Result<asset::Material> convertMaterial(const aiMaterial& source) {
        asset::Material material;
        aiString name;
        if (source.Get(AI_MATKEY_NAME, name) == AI_SUCCESS) material.name = name.C_Str();
        const std::string where = std::format("material '{}'", material.name);
        aiColor4D color;
        if (source.Get(AI_MATKEY_BASE_COLOR, color) == AI_SUCCESS || source.Get(AI_MATKEY_COLOR_DIFFUSE, color) == AI_SUCCESS)
            material.baseColorFactor = {color.r, color.g, color.b, color.a};
        float opacity = 1.0f;
        if (source.Get(AI_MATKEY_OPACITY, opacity) == AI_SUCCESS && opacity >= 0.0f && opacity < 1.0f) {
            material.baseColorFactor.a *= opacity;
            material.alphaMode = asset::AlphaMode::Blend;
        }
        aiColor3D emissive;
        if (source.Get(AI_MATKEY_COLOR_EMISSIVE, emissive) == AI_SUCCESS) material.emissiveFactor = {emissive.r, emissive.g, emissive.b};
        // Without PBR keys this is a Phong material: a dielectric whose roughness follows the shininess.
        float metallic = 0.0f, roughness = 1.0f, shininess = 0.0f;
        if (source.Get(AI_MATKEY_METALLIC_FACTOR, metallic) != AI_SUCCESS) metallic = 0.0f;
        if (source.Get(AI_MATKEY_ROUGHNESS_FACTOR, roughness) != AI_SUCCESS) {
            roughness = 1.0f;
            if (source.Get(AI_MATKEY_SHININESS, shininess) == AI_SUCCESS && shininess > 0.0f)
                roughness = std::clamp(std::sqrt(2.0f / (shininess + 2.0f)), 0.05f, 1.0f);
        }
        material.metallicFactor = metallic;
        material.roughnessFactor = roughness;
        int twoSided = 0;
        if (source.Get(AI_MATKEY_TWOSIDED, twoSided) == AI_SUCCESS) material.doubleSided = twoSided != 0;

        // Vectors, not initializer_lists: a list's backing array would not outlive this initializer.
        const std::pair<int32_t*, std::vector<aiTextureType>> slots[] = {
            {&material.baseColorTexture, {aiTextureType_BASE_COLOR, aiTextureType_DIFFUSE}},
            // Assimp has no common key for a packed metallic-roughness texture outside glTF (read by tinygltf).
            {&material.metallicRoughnessTexture, {}},
            {&material.normalTexture, {aiTextureType_NORMALS}},
            {&material.occlusionTexture, {aiTextureType_AMBIENT_OCCLUSION, aiTextureType_LIGHTMAP}},
            {&material.emissiveTexture, {aiTextureType_EMISSION_COLOR, aiTextureType_EMISSIVE}},
        };
        for (const auto& [slot, types] : slots) {
            Result<int32_t> image = loadTexture(source, types, where);
            if (!image) return std::unexpected(image.error());
            *slot = *image;
        }
        return material;
    }

    const aiScene& scene;
    std::string_view label;
    std::filesystem::path baseDir;
    asset::Model model;
    std::map<std::string, int32_t> imageByName;
};

}  // namespace

Result<asset::Model> importWithAssimp(const std::filesystem::path& path, std::string_view label) {
    Assimp::Importer importer;
    importer.SetPropertyInteger(AI_CONFIG_PP_SBP_REMOVE, aiPrimitiveType_POINT | aiPrimitiveType_LINE);
    // FlipUVs: Assimp's texture origin is bottom-left, the Model's (glTF's) is top-left.
    constexpr unsigned kFlags = aiProcess_Triangulate | aiProcess_SortByPType | aiProcess_JoinIdenticalVertices |
                                aiProcess_PreTransformVertices | aiProcess_FlipUVs | aiProcess_ValidateDataStructure;
    const aiScene* scene = importer.ReadFile(path.string(), kFlags);
    if (!scene) {
        std::string reason = importer.GetErrorString();
        std::ranges::replace(reason, '\n', ' ');
        // Assimp reports a file without geometry as a failed validation; say it plainly.
        if (reason.find("mNumMeshes is 0") != std::string::npos)
            return fail("{}: empty mesh: the file contains no meshes", label);
        return fail("{}: Assimp could not read this file: {}", label, reason);
    }
    if (scene->mFlags & AI_SCENE_FLAGS_INCOMPLETE) return fail("{}: Assimp read an incomplete scene (no meshes?)", label);
    return AssimpConverter(*scene, label, path.parent_path()).run();
}

}  // namespace vt::scan
