#include "glb_writer.h"

#include <cstring>
#include <format>
#include <fstream>
#include <unordered_map>

namespace vt::bench {

namespace {

void append(std::vector<uint8_t>& bytes, const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    bytes.insert(bytes.end(), p, p + size);
}

void pad(std::vector<uint8_t>& bytes, uint8_t value) {
    while (bytes.size() % 4) bytes.push_back(value);
}

}  // namespace

Result<void> writePlainGlb(const std::filesystem::path& path, const asset::Model& model) {
    std::vector<uint8_t> bin;
    std::string meshes, accessors, views;
    int accessor = 0;
    auto addView = [&](const void* data, size_t size, const char* target) {
        const size_t offset = bin.size();
        append(bin, data, size);
        pad(bin, 0);
        views += std::format("{}{{\"buffer\":0,\"byteOffset\":{},\"byteLength\":{},\"target\":{}}}", views.empty() ? "" : ",",
                             offset, size, target);
    };
    int view = 0;
    for (const asset::Mesh& mesh : model.meshes) {
        glm::vec3 lo(1e30f), hi(-1e30f);
        for (const glm::vec3& p : mesh.positions) {
            lo = glm::min(lo, p);
            hi = glm::max(hi, p);
        }
        const size_t n = mesh.positions.size();
        std::string attributes;
        addView(mesh.positions.data(), n * 12, "34962");
        accessors += std::format("{}{{\"bufferView\":{},\"componentType\":5126,\"count\":{},\"type\":\"VEC3\","
                                 "\"min\":[{},{},{}],\"max\":[{},{},{}]}}",
                                 accessors.empty() ? "" : ",", view++, n, lo.x, lo.y, lo.z, hi.x, hi.y, hi.z);
        attributes += std::format("\"POSITION\":{}", accessor++);
        if (mesh.normals.size() == n) {
            addView(mesh.normals.data(), n * 12, "34962");
            accessors += std::format(",{{\"bufferView\":{},\"componentType\":5126,\"count\":{},\"type\":\"VEC3\"}}", view++, n);
            attributes += std::format(",\"NORMAL\":{}", accessor++);
        }
        if (mesh.texcoords.size() == n) {
            addView(mesh.texcoords.data(), n * 8, "34962");
            accessors += std::format(",{{\"bufferView\":{},\"componentType\":5126,\"count\":{},\"type\":\"VEC2\"}}", view++, n);
            attributes += std::format(",\"TEXCOORD_0\":{}", accessor++);
        }
        addView(mesh.indices.data(), mesh.indices.size() * 4, "34963");
        accessors += std::format(",{{\"bufferView\":{},\"componentType\":5125,\"count\":{},\"type\":\"SCALAR\"}}", view++,
                                 mesh.indices.size());
        meshes += std::format("{}{{\"primitives\":[{{\"attributes\":{{{}}},\"indices\":{}}}]}}", meshes.empty() ? "" : ",",
                              attributes, accessor++);
    }
    std::string nodes, nodeList;
    for (size_t i = 0; i < model.meshes.size(); ++i) {
        nodes += std::format("{}{{\"mesh\":{}}}", i ? "," : "", i);
        nodeList += std::format("{}{}", i ? "," : "", i);
    }
    std::string json = std::format(
        "{{\"asset\":{{\"version\":\"2.0\",\"generator\":\"vitrine bench\"}},\"scene\":0,\"scenes\":[{{\"nodes\":[{}]}}],"
        "\"nodes\":[{}],\"meshes\":[{}],\"accessors\":[{}],\"bufferViews\":[{}],\"buffers\":[{{\"byteLength\":{}}}]}}",
        nodeList, nodes, meshes, accessors, views, bin.size());
    while (json.size() % 4) json += ' ';
    std::vector<uint8_t> file;
    const uint32_t header[3] = {0x46546C67u, 2u, uint32_t(12 + 8 + json.size() + 8 + bin.size())};
    append(file, header, sizeof header);
    const uint32_t jsonChunk[2] = {uint32_t(json.size()), 0x4E4F534Au};
    append(file, jsonChunk, sizeof jsonChunk);
    append(file, json.data(), json.size());
    const uint32_t binChunk[2] = {uint32_t(bin.size()), 0x004E4942u};
    append(file, binChunk, sizeof binChunk);
    append(file, bin.data(), bin.size());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(file.data()), std::streamsize(file.size()));
    if (!out) return fail("{}: could not write", path.string());
    return {};
}

asset::Model subdivide(const asset::Model& model, int times) {
    asset::Model result = model;
    for (int pass = 0; pass < times; ++pass) {
        for (asset::Mesh& mesh : result.meshes) {
            std::unordered_map<uint64_t, uint32_t> midpoints;
            const bool hasNormals = mesh.normals.size() == mesh.positions.size();
            const bool hasUv = mesh.texcoords.size() == mesh.positions.size();
            auto midpoint = [&](uint32_t a, uint32_t b) {
                const uint64_t key = a < b ? (uint64_t(a) << 32 | b) : (uint64_t(b) << 32 | a);
                auto [it, inserted] = midpoints.emplace(key, uint32_t(mesh.positions.size()));
                if (inserted) {
                    mesh.positions.push_back((mesh.positions[a] + mesh.positions[b]) * 0.5f);
                    if (hasNormals) mesh.normals.push_back(glm::normalize(mesh.normals[a] + mesh.normals[b]));
                    if (hasUv) mesh.texcoords.push_back((mesh.texcoords[a] + mesh.texcoords[b]) * 0.5f);
                }
                return it->second;
            };
            mesh.colors.clear();
            mesh.tangents.clear();
            std::vector<uint32_t> indices;
            indices.reserve(mesh.indices.size() * 4);
            for (size_t t = 0; t + 2 < mesh.indices.size(); t += 3) {
                const uint32_t a = mesh.indices[t], b = mesh.indices[t + 1], c = mesh.indices[t + 2];
                const uint32_t ab = midpoint(a, b), bc = midpoint(b, c), ca = midpoint(c, a);
                indices.insert(indices.end(), {a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca});
            }
            mesh.indices = std::move(indices);
        }
    }
    return result;
}

}  // namespace vt::bench
