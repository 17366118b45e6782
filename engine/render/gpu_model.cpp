#include "render/gpu_model.h"

namespace vt::render {

void interleave(const asset::Model& model, std::vector<GpuVertex>& vertices, std::vector<uint32_t>& indices,
                std::vector<GpuDraw>& draws) {
    vertices.clear();
    indices.clear();
    draws.clear();
    vertices.reserve(model.vertexCount());
    indices.reserve(model.triangleCount() * 3);
    for (const asset::Mesh& mesh : model.meshes) {
        GpuDraw draw;
        draw.firstIndex = static_cast<uint32_t>(indices.size());
        draw.indexCount = static_cast<uint32_t>(mesh.indices.size());
        draw.vertexOffset = static_cast<int32_t>(vertices.size());
        draw.material = mesh.material < model.materials.size() ? mesh.material : 0;
        draw.hasTexcoords = mesh.texcoords.size() == mesh.positions.size() && !mesh.positions.empty();
        for (size_t i = 0; i < mesh.positions.size(); ++i) {
            GpuVertex v;
            v.position = mesh.positions[i];
            v.normal = i < mesh.normals.size() ? mesh.normals[i] : glm::vec3(0, 1, 0);
            v.texcoord = i < mesh.texcoords.size() ? mesh.texcoords[i] : glm::vec2(0.0f);
            v.color = i < mesh.colors.size() ? mesh.colors[i] : glm::vec4(1.0f);
            v.tangent = i < mesh.tangents.size() ? mesh.tangents[i] : glm::vec4(0.0f);
            vertices.push_back(v);
        }
        indices.insert(indices.end(), mesh.indices.begin(), mesh.indices.end());
        if (draw.indexCount > 0) draws.push_back(draw);
    }
}

}  // namespace vt::render
