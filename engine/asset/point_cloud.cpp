#include "point_cloud.h"

namespace vt::asset {

void appendPoint(PointCloud& cloud, const glm::dvec3& point) {
    if (cloud.positions.empty()) cloud.bounds = {point, point};
    cloud.bounds.min = glm::min(cloud.bounds.min, point);
    cloud.bounds.max = glm::max(cloud.bounds.max, point);
    cloud.positions.push_back(glm::vec3(point - cloud.origin));
}

uint64_t memoryBytes(const PointCloud& cloud) {
    return cloud.positions.capacity() * sizeof(glm::vec3) + cloud.colors.capacity() * sizeof(glm::u16vec3) +
           cloud.intensity.capacity() * sizeof(uint16_t) + cloud.classification.capacity();
}

}  // namespace vt::asset
