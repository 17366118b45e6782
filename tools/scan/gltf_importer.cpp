#include "gltf_importer.h"

#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>
#include <tiny_gltf.h>

#include "image_decode.h"

namespace vt::scan {
namespace {

// An accessor without a bufferView is all zeros (or sparse); cap its size, since no bytes bound it.
constexpr size_t kMaxUnbackedElements = size_t(1) << 26;

// tinygltf's messages are multi-line; ours are one line.
std::string oneLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::string out;
    for (char c : text) {
        if (c == '\n') out += "; ";
        else if (c != '\r') out += c;
    }
    return out;
}

struct ImageDecodeErrors {
    std::map<int, std::string> byImage;
    std::map<int, std::vector<uint8_t>> jpegByImage;  // the file bytes of images that were JPEGs (Image::jpeg)
};

// Our image callback: decode to RGBA8 with stb. A failure is recorded, not fatal, so only an image a
// material actually uses can fail the import (with a message that names it).
bool loadImageData(tinygltf::Image* image, const int index, std::string*, std::string*, int, int,
                   const unsigned char* bytes, int size, void* userData) {
    auto* errors = static_cast<ImageDecodeErrors*>(userData);
    Result<asset::Image> decoded =
        decodeImage({bytes, size_t(std::max(size, 0))}, image->uri.empty() ? image->name : image->uri);
    if (!decoded) {
        errors->byImage[index] = decoded.error().message;
        image->image.clear();
        image->width = image->height = -1;
        return true;
    }
    image->width = int(decoded->width);
    image->height = int(decoded->height);
    image->component = 4;
    image->bits = 8;
    image->pixel_type = TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE;
    image->image = std::move(decoded->rgba);
    if (!decoded->jpeg.empty()) errors->jpegByImage[index] = std::move(decoded->jpeg);
    return true;
}

double readComponent(const uint8_t* p, int componentType, bool normalized) {
    switch (componentType) {
        case TINYGLTF_COMPONENT_TYPE_BYTE: {
            int8_t v;
            std::memcpy(&v, p, 1);
            return normalized ? std::max(v / 127.0, -1.0) : v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return normalized ? *p / 255.0 : *p;
        case TINYGLTF_COMPONENT_TYPE_SHORT: {
            int16_t v;
            std::memcpy(&v, p, 2);
            return normalized ? std::max(v / 32767.0, -1.0) : v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
            uint16_t v;
            std::memcpy(&v, p, 2);
            return normalized ? v / 65535.0 : v;
        }
        case TINYGLTF_COMPONENT_TYPE_INT: {
            int32_t v;
            std::memcpy(&v, p, 4);
            return v;
        }
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT: {
            uint32_t v;
            std::memcpy(&v, p, 4);
            return normalized ? v / 4294967295.0 : v;
        }
        case TINYGLTF_COMPONENT_TYPE_FLOAT: {
            float v;
            std::memcpy(&v, p, 4);
            return v;
        }
        case TINYGLTF_COMPONENT_TYPE_DOUBLE: {
            double v;
            std::memcpy(&v, p, 8);
            return v;
        }
        default: return 0.0;
    }
}

class GltfConverter {
public:
    GltfConverter(const tinygltf::Model& source, std::string_view labelText, std::filesystem::path directory,
                  const ImageDecodeErrors& decodeErrors)
        : gltf(source), label(labelText), baseDir(std::move(directory)), imageErrors(decodeErrors),
          imageMap(source.images.size(), -2) {}

    Result<asset::Model> run() {
        model.source = std::string(label);
        for (size_t i = 0; i < gltf.materials.size(); ++i) {
            Result<asset::Material> material = convertMaterial(int(i));
            if (!material) return std::unexpected(material.error());
            model.materials.push_back(std::move(*material));
        }
        int sceneIndex = gltf.defaultScene;
        if (sceneIndex < 0 || size_t(sceneIndex) >= gltf.scenes.size()) sceneIndex = gltf.scenes.empty() ? -1 : 0;
        if (sceneIndex < 0 || gltf.scenes[size_t(sceneIndex)].nodes.empty()) {
            // No scene graph to place them: the meshes are already in model space.
            for (size_t m = 0; m < gltf.meshes.size(); ++m)
                if (auto added = addMesh(int(m), glm::dmat4(1.0)); !added) return std::unexpected(added.error());
        } else if (auto walked = walkScene(gltf.scenes[size_t(sceneIndex)]); !walked) {
            return std::unexpected(walked.error());
        }
        if (model.meshes.empty() && skippedPrimitives > 0)
            return fail("{}: empty mesh: the file has only points or lines ({} primitives), no triangles", label,
                        skippedPrimitives);
        return std::move(model);
    }

private:
    struct Layout {
        const uint8_t* base = nullptr;  // null: no bufferView, all zeros
        size_t stride = 0;
        size_t count = 0;
        int componentType = 0;
        int components = 0;
        size_t componentSize = 0;
    };

    // Checks that `count` elements of `elementSize` bytes at `stride` from `offset` lie inside the view.
    Result<const uint8_t*> viewBytes(int viewIndex, size_t offset, size_t stride, size_t count, size_t elementSize,
                                     const std::string& what) const {
        if (viewIndex < 0 || size_t(viewIndex) >= gltf.bufferViews.size())
            return fail("{}: {}: bufferView {} does not exist", label, what, viewIndex);
        const tinygltf::BufferView& view = gltf.bufferViews[size_t(viewIndex)];
        if (view.buffer < 0 || size_t(view.buffer) >= gltf.buffers.size())
            return fail("{}: {}: bufferView {} uses buffer {}, which does not exist", label, what, viewIndex, view.buffer);
        const std::vector<unsigned char>& buffer = gltf.buffers[size_t(view.buffer)].data;
        if (view.byteOffset > buffer.size() || view.byteLength > buffer.size() - view.byteOffset)
            return fail("{}: {}: bufferView {} (bytes {}..{}) overruns buffer {} of {} bytes", label, what, viewIndex,
                        view.byteOffset, view.byteOffset + view.byteLength, view.buffer, buffer.size());
        if (count > 0) {
            const size_t length = view.byteLength;
            if (offset > length || elementSize > length - offset || (count - 1) > (length - offset - elementSize) / stride)
                return fail("{}: {}: {} elements of {} bytes at stride {} from byte {} overrun bufferView {} of {} bytes",
                            label, what, count, elementSize, stride, offset, viewIndex, length);
        }
        return buffer.data() + view.byteOffset + offset;
    }

    Result<Layout> layoutOf(int accessorIndex, const std::string& what) const {
        if (accessorIndex < 0 || size_t(accessorIndex) >= gltf.accessors.size())
            return fail("{}: {}: accessor {} does not exist", label, what, accessorIndex);
        const tinygltf::Accessor& accessor = gltf.accessors[size_t(accessorIndex)];
        Layout layout;
        layout.count = accessor.count;
        layout.componentType = accessor.componentType;
        layout.components = tinygltf::GetNumComponentsInType(uint32_t(accessor.type));
        const int componentSize = tinygltf::GetComponentSizeInBytes(uint32_t(accessor.componentType));
        if (layout.components <= 0 || componentSize <= 0)
            return fail("{}: {}: accessor {} has an invalid type or component type", label, what, accessorIndex);
        layout.componentSize = size_t(componentSize);
        const size_t elementSize = layout.componentSize * size_t(layout.components);
        if (accessor.bufferView < 0) {
            if (layout.count > kMaxUnbackedElements)
                return fail("{}: {}: accessor {} claims {} elements with no data", label, what, accessorIndex, layout.count);
            layout.stride = elementSize;
            return layout;
        }
        const tinygltf::BufferView* view =
            size_t(accessor.bufferView) < gltf.bufferViews.size() ? &gltf.bufferViews[size_t(accessor.bufferView)] : nullptr;
        layout.stride = view && view->byteStride != 0 ? view->byteStride : elementSize;
        if (layout.stride < elementSize)
            return fail("{}: {}: accessor {} has stride {} below its element size {}", label, what, accessorIndex,
                        layout.stride, elementSize);
        Result<const uint8_t*> base =
            viewBytes(accessor.bufferView, accessor.byteOffset, layout.stride, layout.count, elementSize,
                      std::format("{} accessor {}", what, accessorIndex));
        if (!base) return std::unexpected(base.error());
        layout.base = *base;
        return layout;
    }

    // Reads an accessor as floats, `components` per element, applying normalization and sparse substitution.
    Result<std::vector<float>> readFloats(int accessorIndex, std::initializer_list<int> allowedComponents,
                                          bool integersAreNormalized, const std::string& what, int& components) const {
        Result<Layout> layout = layoutOf(accessorIndex, what);
        if (!layout) return std::unexpected(layout.error());
        if (std::ranges::find(allowedComponents, layout->components) == allowedComponents.end())
            return fail("{}: {}: accessor {} has {} components per element", label, what, accessorIndex,
                        layout->components);
        const tinygltf::Accessor& accessor = gltf.accessors[size_t(accessorIndex)];
        const bool normalized = accessor.normalized || integersAreNormalized;
        components = layout->components;
        const size_t width = size_t(components);
        std::vector<float> values(layout->count * width, 0.0f);
        if (layout->base) {
            for (size_t i = 0; i < layout->count; ++i) {
                const uint8_t* element = layout->base + i * layout->stride;
                for (size_t c = 0; c < width; ++c)
                    values[i * width + c] =
                        float(readComponent(element + c * layout->componentSize, layout->componentType, normalized));
            }
        }
        if (accessor.sparse.isSparse) {
            const auto& sparse = accessor.sparse;
            const std::string sparseWhat = std::format("{} accessor {} sparse", what, accessorIndex);
            const int indexSize = tinygltf::GetComponentSizeInBytes(uint32_t(sparse.indices.componentType));
            if (sparse.count < 0 || indexSize <= 0 || size_t(sparse.count) > layout->count)
                return fail("{}: {}: invalid count or index type", label, sparseWhat);
            const size_t count = size_t(sparse.count);
            const size_t elementSize = layout->componentSize * width;
            Result<const uint8_t*> indices = viewBytes(sparse.indices.bufferView, sparse.indices.byteOffset,
                                                       size_t(indexSize), count, size_t(indexSize), sparseWhat);
            if (!indices) return std::unexpected(indices.error());
            Result<const uint8_t*> substitutes =
                viewBytes(sparse.values.bufferView, sparse.values.byteOffset, elementSize, count, elementSize, sparseWhat);
            if (!substitutes) return std::unexpected(substitutes.error());
            for (size_t i = 0; i < count; ++i) {
                const double target = readComponent(*indices + i * size_t(indexSize), sparse.indices.componentType, false);
                if (!(target >= 0) || target >= double(layout->count))
                    return fail("{}: {}: index {} at element {} is out of range ({} elements)", label, sparseWhat, target,
                                i, layout->count);
                for (size_t c = 0; c < width; ++c)
                    values[size_t(target) * width + c] = float(readComponent(
                        *substitutes + i * elementSize + c * layout->componentSize, layout->componentType, normalized));
            }
        }
        return values;
    }

    Result<std::vector<uint32_t>> readIndices(int accessorIndex, size_t vertexCount, const std::string& what) const {
        Result<Layout> layout = layoutOf(accessorIndex, what);
        if (!layout) return std::unexpected(layout.error());
        const tinygltf::Accessor& accessor = gltf.accessors[size_t(accessorIndex)];
        if (layout->components != 1 || (layout->componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE &&
                                        layout->componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
                                        layout->componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT))
            return fail("{}: {}: accessor {} is not unsigned integer scalars", label, what, accessorIndex);
        if (accessor.sparse.isSparse) return fail("{}: {}: sparse index accessors are not supported", label, what);
        if (!layout->base) return fail("{}: {}: accessor {} has no bufferView", label, what, accessorIndex);
        std::vector<uint32_t> indices(layout->count);
        for (size_t i = 0; i < layout->count; ++i) {
            const double value = readComponent(layout->base + i * layout->stride, layout->componentType, false);
            if (value >= double(vertexCount))
                return fail("{}: {}: accessor {} element {} is vertex index {}, but there are only {} vertices", label,
                            what, accessorIndex, i, value, vertexCount);
            indices[i] = uint32_t(value);
        }
        return indices;
    }

    static glm::dmat4 localMatrix(const tinygltf::Node& node) {
        if (node.matrix.size() == 16) return glm::make_mat4(node.matrix.data());  // column-major, as glTF
        glm::dmat4 m(1.0);
        if (node.translation.size() == 3)
            m = glm::translate(m, glm::dvec3(node.translation[0], node.translation[1], node.translation[2]));
        if (node.rotation.size() == 4)
            m *= glm::mat4_cast(glm::dquat(node.rotation[3], node.rotation[0], node.rotation[1], node.rotation[2]));
        if (node.scale.size() == 3) m = glm::scale(m, glm::dvec3(node.scale[0], node.scale[1], node.scale[2]));
        return m;
    }

    Result<void> walkScene(const tinygltf::Scene& scene) {
        std::vector<char> visited(gltf.nodes.size(), 0);
        std::vector<std::pair<int, glm::dmat4>> stack;
        for (int root : scene.nodes) stack.emplace_back(root, glm::dmat4(1.0));
        while (!stack.empty()) {
            auto [nodeIndex, parentWorld] = stack.back();
            stack.pop_back();
            if (nodeIndex < 0 || size_t(nodeIndex) >= gltf.nodes.size())
                return fail("{}: node {} does not exist", label, nodeIndex);
            // glTF node graphs are strict trees: a second visit means a cycle or a shared child.
            if (visited[size_t(nodeIndex)])
                return fail("{}: node {} is reached twice (the node hierarchy is not a tree)", label, nodeIndex);
            visited[size_t(nodeIndex)] = 1;
            const tinygltf::Node& node = gltf.nodes[size_t(nodeIndex)];
            const glm::dmat4 world = parentWorld * localMatrix(node);
            if (node.mesh >= 0)
                if (auto added = addMesh(node.mesh, world); !added) return added;
            for (int child : node.children) stack.emplace_back(child, world);
        }
        return {};
    }

    Result<void> addMesh(int meshIndex, const glm::dmat4& world) {
        if (size_t(meshIndex) >= gltf.meshes.size()) return fail("{}: mesh {} does not exist", label, meshIndex);
        const tinygltf::Mesh& mesh = gltf.meshes[size_t(meshIndex)];
        for (size_t p = 0; p < mesh.primitives.size(); ++p)
            if (auto added = addPrimitive(meshIndex, int(p), world); !added) return added;
        return {};
    }

    Result<void> addPrimitive(int meshIndex, int primitiveIndex, const glm::dmat4& world) {
        const tinygltf::Mesh& sourceMesh = gltf.meshes[size_t(meshIndex)];
        const tinygltf::Primitive& primitive = sourceMesh.primitives[size_t(primitiveIndex)];
        const std::string where = sourceMesh.name.empty()
                                      ? std::format("mesh {} primitive {}", meshIndex, primitiveIndex)
                                      : std::format("mesh {} '{}' primitive {}", meshIndex, sourceMesh.name, primitiveIndex);
        const int mode = primitive.mode < 0 ? TINYGLTF_MODE_TRIANGLES : primitive.mode;
        if (mode == TINYGLTF_MODE_POINTS || mode == TINYGLTF_MODE_LINE || mode == TINYGLTF_MODE_LINE_LOOP ||
            mode == TINYGLTF_MODE_LINE_STRIP) {
            ++skippedPrimitives;
            return {};
        }
        if (mode != TINYGLTF_MODE_TRIANGLES && mode != TINYGLTF_MODE_TRIANGLE_STRIP && mode != TINYGLTF_MODE_TRIANGLE_FAN)
            return fail("{}: {}: unknown primitive mode {}", label, where, mode);

        const auto attribute = [&](const char* name) {
            const auto it = primitive.attributes.find(name);
            return it == primitive.attributes.end() ? -1 : it->second;
        };
        const int positionAccessor = attribute("POSITION");
        if (positionAccessor < 0) return fail("{}: {}: no POSITION attribute", label, where);

        asset::Mesh mesh;
        mesh.name = sourceMesh.primitives.size() > 1 ? std::format("{}#{}", sourceMesh.name, primitiveIndex) : sourceMesh.name;
        int components = 0;
        Result<std::vector<float>> positions = readFloats(positionAccessor, {3}, false, where + " POSITION", components);
        if (!positions) return std::unexpected(positions.error());
        const size_t vertexCount = positions->size() / 3;
        if (vertexCount > UINT32_MAX) return fail("{}: {}: too many vertices", label, where);
        mesh.positions.resize(vertexCount);
        for (size_t i = 0; i < vertexCount; ++i)
            mesh.positions[i] = {(*positions)[i * 3], (*positions)[i * 3 + 1], (*positions)[i * 3 + 2]};

        // Optional attributes must match the vertex count; a mismatch is a broken file, not a choice.
        const auto optional = [&](const char* name, std::initializer_list<int> allowed, bool normalizedIntegers,
                                  int& width) -> Result<std::vector<float>> {
            const int accessor = attribute(name);
            if (accessor < 0) return std::vector<float>{};
            Result<std::vector<float>> values = readFloats(accessor, allowed, normalizedIntegers, where + " " + name, width);
            if (values && values->size() / size_t(width) != vertexCount)
                return fail("{}: {} {}: accessor {} has {} elements but POSITION has {}", label, where, name, accessor,
                            values->size() / size_t(width), vertexCount);
            return values;
        };
        int normalWidth = 3, tangentWidth = 4, uvWidth = 2, colorWidth = 4;
        Result<std::vector<float>> normals = optional("NORMAL", {3}, false, normalWidth);
        if (!normals) return std::unexpected(normals.error());
        Result<std::vector<float>> tangents = optional("TANGENT", {4}, false, tangentWidth);
        if (!tangents) return std::unexpected(tangents.error());
        Result<std::vector<float>> texcoords = optional("TEXCOORD_0", {2}, true, uvWidth);
        if (!texcoords) return std::unexpected(texcoords.error());
        Result<std::vector<float>> colors = optional("COLOR_0", {3, 4}, true, colorWidth);
        if (!colors) return std::unexpected(colors.error());

        std::vector<uint32_t> order;
        if (primitive.indices >= 0) {
            Result<std::vector<uint32_t>> indices = readIndices(primitive.indices, vertexCount, where + " indices");
            if (!indices) return std::unexpected(indices.error());
            order = std::move(*indices);
        } else {
            order.resize(vertexCount);
            for (size_t i = 0; i < vertexCount; ++i) order[i] = uint32_t(i);
        }
        if (mode == TINYGLTF_MODE_TRIANGLES) {
            order.resize(order.size() / 3 * 3);  // a trailing partial triangle draws nothing
            mesh.indices = std::move(order);
        } else {
            for (size_t i = 2; i < order.size(); ++i) {
                if (mode == TINYGLTF_MODE_TRIANGLE_STRIP) {
                    // Odd triangles of a strip swap their first two vertices to keep the winding.
                    if (i % 2 == 0) mesh.indices.insert(mesh.indices.end(), {order[i - 2], order[i - 1], order[i]});
                    else mesh.indices.insert(mesh.indices.end(), {order[i - 1], order[i - 2], order[i]});
                } else {
                    mesh.indices.insert(mesh.indices.end(), {order[0], order[i - 1], order[i]});
                }
            }
        }

        const glm::dmat3 linear(world);
        const glm::dmat3 normalMatrix = glm::transpose(glm::inverse(linear));
        const double determinant = glm::determinant(linear);
        for (glm::vec3& p : mesh.positions) p = glm::vec3(world * glm::dvec4(p, 1.0));
        if (!normals->empty()) {
            mesh.normals.resize(vertexCount);
            for (size_t i = 0; i < vertexCount; ++i) {
                const glm::dvec3 n((*normals)[i * 3], (*normals)[i * 3 + 1], (*normals)[i * 3 + 2]);
                mesh.normals[i] = glm::vec3(normalMatrix * n);  // normalize.cpp renormalizes
            }
        }
        if (!tangents->empty()) {
            mesh.tangents.resize(vertexCount);
            for (size_t i = 0; i < vertexCount; ++i) {
                const float* t = tangents->data() + i * 4;
                const glm::vec3 xyz(linear * glm::dvec3(t[0], t[1], t[2]));
                // A mirroring transform flips the bitangent relative to normal x tangent.
                mesh.tangents[i] = glm::vec4(xyz, determinant < 0.0 ? -t[3] : t[3]);
            }
        }
        if (!texcoords->empty()) {
            mesh.texcoords.resize(vertexCount);
            for (size_t i = 0; i < vertexCount; ++i) mesh.texcoords[i] = {(*texcoords)[i * 2], (*texcoords)[i * 2 + 1]};
        }
        if (!colors->empty()) {
            mesh.colors.resize(vertexCount);
            for (size_t i = 0; i < vertexCount; ++i) {
                const float* c = colors->data() + i * size_t(colorWidth);
                mesh.colors[i] = glm::vec4(c[0], c[1], c[2], colorWidth == 4 ? c[3] : 1.0f);
            }
        }
        if (determinant < 0.0)  // mirrored: keep front faces counter-clockwise
            for (size_t t = 0; t + 2 < mesh.indices.size(); t += 3) std::swap(mesh.indices[t + 1], mesh.indices[t + 2]);

        if (primitive.material >= 0 && size_t(primitive.material) < model.materials.size()) {
            mesh.material = uint32_t(primitive.material);
        } else {
            if (defaultMaterial < 0) {
                defaultMaterial = int(model.materials.size());
                model.materials.push_back(asset::Material{.name = "default"});
            }
            mesh.material = uint32_t(defaultMaterial);
        }
        model.meshes.push_back(std::move(mesh));
        return {};
    }

    // The Model image a texture uses, decoding on first use; kNoTexture for texture sets other than 0.
    Result<int32_t> textureImage(int textureIndex, int texCoord, const std::string& where) {
        if (textureIndex < 0) return asset::kNoTexture;
        if (size_t(textureIndex) >= gltf.textures.size())
            return fail("{}: {}: texture {} does not exist", label, where, textureIndex);
        if (texCoord != 0) return asset::kNoTexture;  // only TEXCOORD_0 is imported
        const int source = gltf.textures[size_t(textureIndex)].source;
        if (source < 0) return asset::kNoTexture;  // e.g. only a KHR_texture_basisu source, which we cannot decode
        if (size_t(source) >= gltf.images.size())
            return fail("{}: {}: texture {} uses image {}, which does not exist", label, where, textureIndex, source);
        int32_t& mapped = imageMap[size_t(source)];
        if (mapped >= -1) return mapped;
        const tinygltf::Image& image = gltf.images[size_t(source)];
        const std::string name = !image.uri.empty() && !image.uri.starts_with("data:")
                                     ? image.uri
                                     : (image.name.empty() ? std::format("embedded #{}", source) : image.name);
        if (image.image.empty()) {
            if (const auto it = imageErrors.byImage.find(source); it != imageErrors.byImage.end())
                return fail("{}: {}: {}", label, where, it->second);
            if (!image.uri.empty() && !image.uri.starts_with("data:")) {
                std::string decoded;
                if (!tinygltf::URIDecode(image.uri, &decoded, nullptr)) decoded = image.uri;
                return fail("{}: {}: image {} '{}' not found (looked for {})", label, where, source, image.uri,
                            (baseDir / decoded).string());
            }
            return fail("{}: {}: image {} '{}' has no data", label, where, source, name);
        }
        if (image.width <= 0 || image.height <= 0 || image.component != 4 || image.bits != 8 ||
            image.image.size() != size_t(image.width) * size_t(image.height) * 4)
            return fail("{}: {}: image {} '{}' was not decoded to RGBA8", label, where, source, name);
        mapped = int32_t(model.images.size());
        model.images.push_back(asset::Image{name, uint32_t(image.width), uint32_t(image.height), image.image, {}});
        if (const auto it = imageErrors.jpegByImage.find(source); it != imageErrors.jpegByImage.end())
            model.images.back().jpeg = it->second;
        return mapped;
    }

    Result<asset::Material> convertMaterial(int index) {
        const tinygltf::Material& source = gltf.materials[size_t(index)];
        const std::string where = std::format("material {} '{}'", index, source.name);
        const tinygltf::PbrMetallicRoughness& pbr = source.pbrMetallicRoughness;
        asset::Material material;
        material.name = source.name;
        if (pbr.baseColorFactor.size() == 4)
            material.baseColorFactor = glm::vec4(pbr.baseColorFactor[0], pbr.baseColorFactor[1], pbr.baseColorFactor[2],
                                                 pbr.baseColorFactor[3]);
        if (source.emissiveFactor.size() == 3)
            material.emissiveFactor = glm::vec3(source.emissiveFactor[0], source.emissiveFactor[1], source.emissiveFactor[2]);
        material.metallicFactor = float(pbr.metallicFactor);
        material.roughnessFactor = float(pbr.roughnessFactor);
        material.normalScale = float(source.normalTexture.scale);
        material.occlusionStrength = float(source.occlusionTexture.strength);
        material.alphaCutoff = float(source.alphaCutoff);
        material.alphaMode = source.alphaMode == "MASK"    ? asset::AlphaMode::Mask
                             : source.alphaMode == "BLEND" ? asset::AlphaMode::Blend
                                                           : asset::AlphaMode::Opaque;
        material.doubleSided = source.doubleSided;
        const std::pair<int32_t*, std::pair<int, int>> slots[] = {
            {&material.baseColorTexture, {pbr.baseColorTexture.index, pbr.baseColorTexture.texCoord}},
            {&material.metallicRoughnessTexture,
             {pbr.metallicRoughnessTexture.index, pbr.metallicRoughnessTexture.texCoord}},
            {&material.normalTexture, {source.normalTexture.index, source.normalTexture.texCoord}},
            {&material.occlusionTexture, {source.occlusionTexture.index, source.occlusionTexture.texCoord}},
            {&material.emissiveTexture, {source.emissiveTexture.index, source.emissiveTexture.texCoord}},
        };
        for (const auto& [slot, texture] : slots) {
            Result<int32_t> image = textureImage(texture.first, texture.second, where);
            if (!image) return std::unexpected(image.error());
            *slot = *image;
        }
        return material;
    }

    const tinygltf::Model& gltf;
    std::string_view label;
    std::filesystem::path baseDir;
    const ImageDecodeErrors& imageErrors;
    std::vector<int32_t> imageMap;  // glTF image -> Model image; -2 not yet converted
    asset::Model model;
    int defaultMaterial = -1;
    size_t skippedPrimitives = 0;
};

}  // namespace

Result<asset::Model> importGltf(const std::filesystem::path& path, std::string_view label) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail("{}: cannot be opened for reading", label);
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (bytes.size() > UINT32_MAX) return fail("{}: larger than 4 GiB, which glTF cannot address", label);

    tinygltf::TinyGLTF loader;
    ImageDecodeErrors imageErrors;
    loader.SetImageLoader(loadImageData, &imageErrors);
    tinygltf::Model gltf;
    std::string error, warning;
    const std::string baseDir = path.parent_path().string();
    const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
    const bool ok = binary ? loader.LoadBinaryFromMemory(&gltf, &error, &warning, bytes.data(), unsigned(bytes.size()), baseDir)
                           : loader.LoadASCIIFromString(&gltf, &error, &warning, reinterpret_cast<const char*>(bytes.data()),
                                                        unsigned(bytes.size()), baseDir);
    if (!ok) return fail("{}: not a valid glTF 2.0 file: {}", label, oneLine(error.empty() ? warning : error));
    return GltfConverter(gltf, label, path.parent_path(), imageErrors).run();
}

}  // namespace vt::scan
