#include "pack/source_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace vt::pack::detail {

std::optional<float> sourceGridStep(std::span<const asset::Cluster> clusters, glm::vec3 origin, float largestExtent,
                                    uint32_t finestSteps) {
    if (!(largestExtent > 0.0f) || finestSteps == 0) return std::nullopt;
    std::vector<float> values[3];
    for (const asset::Cluster& cluster : clusters) {
        for (const glm::vec3& p : cluster.positions) {
            for (int axis = 0; axis < 3; ++axis) values[axis].push_back(p[axis]);
        }
    }
    // The smallest gap between distinct values is the step (or a multiple of it, which is a grid too).
    // A dequantizer maps one integer to one float, so equal codes never differ by rounding, but each
    // gap carries float rounding (0.07% of an 11-bit step at 3.5 m): average the gaps of one step, then
    // count how many such steps the widest axis spans.
    double gap = std::numeric_limits<double>::infinity();
    for (std::vector<float>& axis : values) {
        std::sort(axis.begin(), axis.end());
        axis.erase(std::unique(axis.begin(), axis.end()), axis.end());
        for (size_t i = 1; i < axis.size(); ++i) gap = std::min(gap, static_cast<double>(axis[i]) - axis[i - 1]);
    }
    if (!std::isfinite(gap) || gap <= 0.0) return std::nullopt;
    double sum = 0.0;
    size_t count = 0;
    for (const std::vector<float>& axis : values) {
        for (size_t i = 1; i < axis.size(); ++i) {
            const double d = static_cast<double>(axis[i]) - axis[i - 1];
            if (d < 1.5 * gap) sum += d, ++count;
        }
    }
    gap = sum / static_cast<double>(count);
    int widest = 0;
    for (int axis = 1; axis < 3; ++axis) {
        if (values[axis].back() - values[axis].front() > values[widest].back() - values[widest].front()) widest = axis;
    }
    const double span = static_cast<double>(values[widest].back()) - values[widest].front();
    const double gaps = std::round(span / gap);
    if (gaps < 1.0 || gaps >= finestSteps) return std::nullopt;  // no coarser than the writer's own grid
    const double step = span / gaps;
    // Every value must sit on the grid, within float rounding of origin + k * step (far below 1%).
    for (int axis = 0; axis < 3; ++axis) {
        for (const float v : values[axis]) {
            const double k = (static_cast<double>(v) - origin[axis]) / step;
            if (std::abs(k - std::round(k)) > 0.01 || std::round(k) > 65535.0) return std::nullopt;
        }
    }
    return static_cast<float>(step);
}

}  // namespace vt::pack::detail
