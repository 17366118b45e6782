#include "pack_test_util.h"

#include <cmath>
#include <fstream>
#include <iterator>
#include <random>

#include <unistd.h>

namespace vt::pack::test {
namespace {

glm::vec3 surface(float x, float y) { return {x, y, 0.1f * std::sin(3.0f * x) * std::cos(2.0f * y)}; }
glm::vec3 surfaceNormal(float x, float y) {
    const float dx = 0.3f * std::cos(3.0f * x) * std::cos(2.0f * y);
    const float dy = -0.2f * std::sin(3.0f * x) * std::sin(2.0f * y);
    return glm::normalize(glm::vec3(-dx, -dy, 1.0f));
}

asset::Sphere enclose(std::span<const asset::Sphere> spheres) {
    glm::vec3 center{0.0f};
    for (const auto& s : spheres) center += glm::vec3(s);
    center /= static_cast<float>(spheres.size());
    float radius = 0.0f;
    for (const auto& s : spheres) radius = std::max(radius, glm::length(glm::vec3(s) - center) + s.w);
    return {center, radius * 1.0001f};
}

}  // namespace

PackContents makeContents(uint32_t side) {
    PackContents contents;
    contents.name = "Synthetic patch";
    contents.source = "tests/pack synthetic height field";
    contents.millimetresPerUnit = 250.0f;
    contents.orientation = glm::normalize(glm::quat(0.9f, 0.1f, -0.3f, 0.2f));
    asset::ClusterHierarchy& h = contents.hierarchy;

    // Bottom-up: a level-L cluster at (i, j) covers a (1/(side>>L))-sized square.
    uint32_t levelSide = side;
    uint32_t level = 0;
    std::vector<asset::Sphere> previousLodBounds;  // per cluster of the previous level, by (i, j)
    std::vector<uint32_t> previousClusters;
    while (true) {
        const float cell = 1.0f / static_cast<float>(levelSide);
        std::vector<uint32_t> clusters(levelSide * levelSide);
        std::vector<asset::Sphere> lodBounds(levelSide * levelSide);
        for (uint32_t j = 0; j < levelSide; ++j) {
            for (uint32_t i = 0; i < levelSide; ++i) {
                asset::Cluster cluster;
                const uint32_t index = static_cast<uint32_t>(h.clusters.size());
                glm::vec3 lo{1e9f}, hi{-1e9f};
                for (uint32_t v = 0; v <= 8; ++v) {
                    for (uint32_t u = 0; u <= 8; ++u) {
                        const float x = (static_cast<float>(i) + static_cast<float>(u) / 8.0f) * cell;
                        const float y = (static_cast<float>(j) + static_cast<float>(v) / 8.0f) * cell;
                        cluster.positions.push_back(surface(x, y));
                        cluster.normals.push_back(surfaceNormal(x, y));
                        if (index % 5 != 4) cluster.texcoords.push_back({x * 2.0f - 0.5f, 1.0f - y});
                        if (index % 3 == 0) cluster.colors.push_back({x, y, 0.25f + 0.5f * x * y, 0.5f + 0.5f * y});
                        lo = glm::min(lo, cluster.positions.back());
                        hi = glm::max(hi, cluster.positions.back());
                    }
                }
                for (uint8_t v = 0; v < 8; ++v) {
                    for (uint8_t u = 0; u < 8; ++u) {
                        const uint8_t a = static_cast<uint8_t>(v * 9 + u), b = static_cast<uint8_t>(a + 1),
                                      c = static_cast<uint8_t>(a + 9), d = static_cast<uint8_t>(a + 10);
                        cluster.indices.insert(cluster.indices.end(), {a, b, d, a, d, c});
                    }
                }
                cluster.material = (i + j) % 2;
                cluster.level = level;
                cluster.bounds = asset::Sphere((lo + hi) * 0.5f, glm::length(hi - lo) * 0.5f);
                if (level == 0) {
                    cluster.error = 0.0f;
                    cluster.lodBounds = cluster.bounds;
                } else {
                    // Made by simplifying the group of 2x2 finer clusters below it.
                    const uint32_t below = levelSide * 2;
                    std::vector<asset::Sphere> children;
                    for (uint32_t dj = 0; dj < 2; ++dj) {
                        for (uint32_t di = 0; di < 2; ++di) children.push_back(previousLodBounds[(2 * j + dj) * below + 2 * i + di]);
                    }
                    cluster.lodBounds = enclose(children);
                    cluster.error = 0.01f * static_cast<float>(1u << level);
                }
                clusters[j * levelSide + i] = index;
                lodBounds[j * levelSide + i] = cluster.lodBounds;
                h.clusters.push_back(std::move(cluster));
            }
        }
        // Groups of the previous level: 2x2 children of each cluster of this level.
        if (level > 0) {
            const uint32_t below = levelSide * 2;
            for (uint32_t j = 0; j < levelSide; ++j) {
                for (uint32_t i = 0; i < levelSide; ++i) {
                    asset::ClusterGroup group;
                    group.level = level - 1;
                    group.simplifiedError = h.clusters[clusters[j * levelSide + i]].error;
                    group.simplifiedBounds = h.clusters[clusters[j * levelSide + i]].lodBounds;
                    const uint32_t g = static_cast<uint32_t>(h.groups.size());
                    for (uint32_t dj = 0; dj < 2; ++dj) {
                        for (uint32_t di = 0; di < 2; ++di) {
                            const uint32_t child = previousClusters[(2 * j + dj) * below + 2 * i + di];
                            group.clusters.push_back(child);
                            h.clusters[child].group = g;
                            h.clusters[child].parentError = group.simplifiedError;
                            h.clusters[child].parentBounds = group.simplifiedBounds;
                        }
                    }
                    h.groups.push_back(std::move(group));
                }
            }
        }
        previousLodBounds = std::move(lodBounds);
        previousClusters = std::move(clusters);
        ++level;
        if (levelSide == 1) break;
        levelSide /= 2;
    }
    // The root: one group that is never replaced.
    asset::ClusterGroup root;
    root.level = level - 1;
    root.simplifiedError = asset::kNoParent;
    root.simplifiedBounds = h.clusters.back().lodBounds;
    root.clusters.push_back(static_cast<uint32_t>(h.clusters.size() - 1));
    h.clusters.back().group = static_cast<uint32_t>(h.groups.size());
    h.clusters.back().parentError = root.simplifiedError;
    h.clusters.back().parentBounds = root.simplifiedBounds;
    h.groups.push_back(root);
    h.levelCount = level;
    h.bounds = {{0.0f, 0.0f, -0.1f}, {1.0f, 1.0f, 0.1f}};
    h.inputTriangles = size_t{side} * side * 128;

    asset::Material stone;
    stone.name = "stone";
    stone.baseColorFactor = {0.8f, 0.7f, 0.6f, 1.0f};
    stone.roughnessFactor = 0.9f;
    stone.metallicFactor = 0.0f;
    stone.baseColorTexture = 0;
    stone.normalTexture = 1;
    stone.normalScale = 0.75f;
    asset::Material glaze;
    glaze.name = "glaze \xE7\x93\xB7";  // UTF-8 passes through untouched
    glaze.baseColorFactor = {0.1f, 0.2f, 0.9f, 0.5f};
    glaze.emissiveFactor = {0.1f, 0.0f, 0.05f};
    glaze.alphaMode = asset::AlphaMode::Blend;
    glaze.alphaCutoff = 0.25f;
    glaze.doubleSided = true;
    glaze.occlusionStrength = 0.5f;
    glaze.metallicRoughnessTexture = 1;
    glaze.occlusionTexture = 1;
    glaze.emissiveTexture = 0;
    contents.materials = {stone, glaze};

    std::mt19937 random(7);
    auto texture = [&](TextureFormat format, uint32_t width, uint32_t height, uint32_t mips) {
        PackTexture t{format, width, height, {}};
        for (uint32_t m = 0; m < mips; ++m) {
            std::vector<uint8_t> bytes(mipByteSize(format, std::max(1u, width >> m), std::max(1u, height >> m)));
            for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
            t.mips.push_back(std::move(bytes));
        }
        return t;
    };
    contents.textures = {texture(TextureFormat::Bc1Srgb, 16, 8, 5), texture(TextureFormat::Rgba8Unorm, 8, 8, 3)};
    return contents;
}

std::vector<uint8_t> readFileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TempFolder::TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vitrine-pack-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
}

TempFolder::~TempFolder() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove_all(path, ignored);
}

}  // namespace vt::pack::test
