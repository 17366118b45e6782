#include "point_cloud.h"

namespace vt::asset {

bool appendPoint(PointCloud& cloud, const glm::dvec3& point) {
    const glm::dvec3 offset = point - cloud.origin;
    if (!isFinite(point) || std::abs(offset.x) > kMaxPointDistance || std::abs(offset.y) > kMaxPointDistance ||
        std::abs(offset.z) > kMaxPointDistance)
        return false;
    if (cloud.positions.empty()) cloud.bounds = {point, point};
    cloud.bounds.min = glm::min(cloud.bounds.min, point);
    cloud.bounds.max = glm::max(cloud.bounds.max, point);
    cloud.positions.push_back(glm::vec3(offset));
    return true;
}

uint64_t memoryBytes(const PointCloud& cloud) {
    return cloud.positions.capacity() * sizeof(glm::vec3) + cloud.colors.capacity() * sizeof(glm::u16vec3) +
           cloud.intensity.capacity() * sizeof(uint16_t) + cloud.classification.capacity();
}

}  // namespace vt::asset
