#include "xr/marker_models.h"

#include <cmath>

namespace vt::xr {

namespace {

constexpr float kVignetteDistance = 0.3f;  // metres: far enough that the eyes' offsets barely shift it

}  // namespace

asset::Model markerModel(const std::vector<glm::vec3>& ring, float height, glm::vec3 color) {
    asset::Model model;
    model.source = "xr marker";
    asset::Material material;
    material.baseColorFactor = glm::vec4(color, 1.0f);
    material.emissiveFactor = color;
    material.metallicFactor = 0.0f;
    material.roughnessFactor = 0.8f;
    model.materials.push_back(material);
    asset::Mesh mesh;
    mesh.positions.push_back({0.0f, height, 0.0f});
    mesh.normals.push_back({0.0f, 1.0f, 0.0f});
    for (const glm::vec3& p : ring) {
        mesh.positions.push_back(p + glm::vec3(0.0f, height, 0.0f));
        mesh.normals.push_back({0.0f, 1.0f, 0.0f});
    }
    const uint32_t n = static_cast<uint32_t>(ring.size());
    for (uint32_t i = 0; i < n; ++i) mesh.indices.insert(mesh.indices.end(), {0u, 1 + (i + 1) % n, 1 + i});
    model.meshes.push_back(std::move(mesh));
    return model;
}

std::vector<glm::vec3> circle(float radius, int segments) {
    std::vector<glm::vec3> ring;
    for (int i = 0; i < segments; ++i) {
        const float a = 2.0f * 3.14159265f * float(i) / float(segments);
        ring.push_back({radius * std::cos(a), 0.0f, radius * std::sin(a)});
    }
    return ring;
}

asset::Model dotModel(float radius, glm::vec3 color) {
    asset::Model model;
    model.source = "xr arc dot";
    asset::Material material;
    material.baseColorFactor = glm::vec4(color, 1.0f);
    material.emissiveFactor = color;
    material.metallicFactor = 0.0f;
    model.materials.push_back(material);
    asset::Mesh mesh;
    const glm::vec3 axes[6] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    const int faces[8][3] = {{0, 2, 4}, {4, 2, 1}, {1, 2, 5}, {5, 2, 0}, {4, 3, 0}, {1, 3, 4}, {5, 3, 1}, {0, 3, 5}};
    for (const auto& face : faces) {
        const glm::vec3 normal = glm::normalize(axes[face[0]] + axes[face[1]] + axes[face[2]]);
        for (int corner : face) {
            mesh.indices.push_back(static_cast<uint32_t>(mesh.positions.size()));
            mesh.positions.push_back(axes[corner] * radius);
            mesh.normals.push_back(normal);
        }
    }
    model.meshes.push_back(std::move(mesh));
    return model;
}


asset::Model vignetteModel(float innerDegrees) {
    asset::Model model;
    model.source = "xr vignette";
    asset::Material material;
    material.baseColorFactor = {0.0f, 0.0f, 0.0f, 1.0f};
    material.metallicFactor = 0.0f;
    material.roughnessFactor = 1.0f;
    material.alphaMode = asset::AlphaMode::Blend;
    material.doubleSided = true;
    model.materials.push_back(material);
    asset::Mesh mesh;
    const float d = kVignetteDistance;
    const float radii[3] = {d * std::tan(glm::radians(innerDegrees)), d * std::tan(glm::radians(innerDegrees + 15.0f)),
                            d * std::tan(glm::radians(85.0f))};
    const float alphas[3] = {0.0f, 1.0f, 1.0f};
    constexpr int kSegments = 48;
    for (int ring = 0; ring < 3; ++ring)
        for (int i = 0; i < kSegments; ++i) {
            const float a = 2.0f * 3.14159265f * float(i) / float(kSegments);
            mesh.positions.push_back({radii[ring] * std::cos(a), radii[ring] * std::sin(a), -d});
            mesh.normals.push_back({0.0f, 0.0f, 1.0f});
            mesh.colors.push_back({1.0f, 1.0f, 1.0f, alphas[ring]});
        }
    for (uint32_t ring = 0; ring < 2; ++ring)
        for (uint32_t i = 0; i < kSegments; ++i) {
            const uint32_t a = ring * kSegments + i, b = ring * kSegments + (i + 1) % kSegments;
            const uint32_t c = a + kSegments, e = b + kSegments;
            mesh.indices.insert(mesh.indices.end(), {a, b, e, a, e, c});
        }
    model.meshes.push_back(std::move(mesh));
    return model;
}

}  // namespace vt::xr
