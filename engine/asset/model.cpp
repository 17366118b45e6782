#include "asset/model.h"

#include <limits>

namespace vt::asset {

size_t Model::triangleCount() const {
    size_t count = 0;
    for (const Mesh& mesh : meshes) count += mesh.indices.size() / 3;
    return count;
}

size_t Model::vertexCount() const {
    size_t count = 0;
    for (const Mesh& mesh : meshes) count += mesh.positions.size();
    return count;
}

Bounds Model::bounds() const {
    Bounds result{glm::vec3(std::numeric_limits<float>::max()), glm::vec3(std::numeric_limits<float>::lowest())};
    bool any = false;
    for (const Mesh& mesh : meshes) {
        for (const glm::vec3& p : mesh.positions) {
            result.min = glm::min(result.min, p);
            result.max = glm::max(result.max, p);
            any = true;
        }
    }
    return any ? result : Bounds{};
}

}  // namespace vt::asset
