// The point-cloud readers on the real files in the corpus: point counts, bounds, colours, the COPC
// hierarchy, the E57 edge cases, and a vertex-only PLY range scan.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "copc.h"
#include "e57_reader.h"
#include "las_header.h"
#include "las_reader.h"
#include "las_rewrite.h"
#include "point_cloud_import.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

std::vector<uint8_t> readAll(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

// Reads through the public entry point and reports the speed, for the record.
asset::PointCloud readTimed(const std::filesystem::path& path) {
    const auto start = std::chrono::steady_clock::now();
    Result<asset::PointCloud> cloud = readPointCloud(path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(cloud) << cloud.error().message;
    if (!cloud) return {};
    std::printf("%s%.0f points/s (%.3f s)\n", describePointCloud(*cloud).c_str(), double(cloud->pointCount()) / seconds,
                seconds);
    return std::move(*cloud);
}

// A LAS/LAZ file's cloud: its count, format and point format, and an attribute for every point.
void expectLas(const asset::PointCloud& cloud, size_t points, std::string_view format, uint32_t pointFormat) {
    EXPECT_EQ(cloud.pointCount(), points);
    EXPECT_EQ(cloud.metadata.format, format);
    EXPECT_EQ(cloud.metadata.pointFormat, pointFormat);
    EXPECT_EQ(cloud.colors.size(), points);
    EXPECT_EQ(cloud.intensity.size(), points);
    EXPECT_EQ(cloud.classification.size(), points);
}

void expectNear(const glm::dvec3& actual, const glm::dvec3& expected, double tolerance) {
    for (int axis = 0; axis < 3; ++axis) EXPECT_NEAR(actual[axis], expected[axis], tolerance) << "axis " << axis;
}

TEST(PointCloudCorpus, LionCopcPointsBoundsAndColour) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz");
    const asset::PointCloud cloud = readTimed(path);
    expectLas(cloud, 341989, "LAZ 1.4 (COPC)", 7);
    EXPECT_EQ(cloud.metadata.octreeNodes, 9u);
    EXPECT_EQ(cloud.metadata.octreeLevels, 2);
    // The header's box is the points' box (to the LAS grid step).
    const std::vector<uint8_t> bytes = readAll(path);
    const Result<LasHeader> header = parseLasHeader(bytes, "lion");
    ASSERT_TRUE(header) << header.error().message;
    expectNear(cloud.bounds.min, header->min, header->scale.x);
    expectNear(cloud.bounds.max, header->max, header->scale.x);
    // A real photograph-coloured statue: not one flat colour.
    glm::dvec3 mean(0.0);
    for (const glm::u16vec3& c : cloud.colors) mean += glm::dvec3(c);
    mean /= double(cloud.pointCount());
    EXPECT_GT(mean.x, 2000.0);
    EXPECT_LT(mean.x, 63000.0);
}

TEST(PointCloudCorpus, LionCopcHierarchy) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz");
    const std::vector<uint8_t> bytes = readAll(path);
    const Result<LasHeader> header = parseLasHeader(bytes, "lion");
    ASSERT_TRUE(header) << header.error().message;
    ASSERT_TRUE(isCopc(*header));
    const Result<CopcHierarchy> hierarchy = readCopcHierarchy(*header, bytes, "lion");
    ASSERT_TRUE(hierarchy) << hierarchy.error().message;
    EXPECT_EQ(hierarchy->pointCount, 341989u);
    EXPECT_GT(hierarchy->nodes.size(), 8u);
    EXPECT_GT(hierarchy->info.spacing, 0.0);
    std::printf("COPC: %zu nodes with points, %u pages, levels 0-%d, root spacing %.4f, cube half size %.3f\n",
                hierarchy->nodes.size(), hierarchy->pageCount, hierarchy->maxLevel, hierarchy->info.spacing,
                hierarchy->info.halfSize);
    // Every node lies inside the root cube, and the root cube holds the header's box.
    const CopcNode root{};
    for (int axis = 0; axis < 3; ++axis) {
        EXPECT_LE(hierarchy->nodeMin(root)[axis], header->min[axis]);
        EXPECT_GE(hierarchy->nodeMax(root)[axis], header->max[axis]);
    }
    bool hasRoot = false;
    for (const CopcNode& node : hierarchy->nodes) {
        hasRoot = hasRoot || node.level == 0;
        EXPECT_GE(node.offset, header->pointDataOffset);
    }
    EXPECT_TRUE(hasRoot);
}

// The corpus has no LAS/LAZ copy of the lion: LASzip writes both from the COPC file, and all three
// must read as the same cloud (the uncompressed copy takes our exact-count path).
TEST(PointCloudCorpus, LionCopcAgreesWithItsLasAndLazCopies) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz");
    const std::vector<uint8_t> copc = readAll(path);
    const Result<asset::PointCloud> fromCopc = readLas(copc, "lion.copc.laz");
    ASSERT_TRUE(fromCopc) << fromCopc.error().message;
    for (const bool compress : {false, true}) {
        const std::vector<uint8_t> copy = test::rewriteWithLaszip(copc, UINT64_MAX, compress);
        const Result<asset::PointCloud> cloud = readLas(copy, compress ? "lion.laz" : "lion.las");
        ASSERT_TRUE(cloud) << cloud.error().message;
        expectLas(*cloud, 341989, compress ? "LAZ 1.4" : "LAS 1.4", 7);
        EXPECT_EQ(cloud->bounds.min, fromCopc->bounds.min);
        EXPECT_EQ(cloud->bounds.max, fromCopc->bounds.max);
        EXPECT_EQ(cloud->colors, fromCopc->colors);
        EXPECT_EQ(cloud->positions, fromCopc->positions);
    }
}

TEST(PointCloudCorpus, AutzenLaz) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/pdal/autzen_trim.laz");
    const asset::PointCloud cloud = readTimed(path);
    expectLas(cloud, 110000, "LAZ 1.2", 3);
    // Airborne lidar over a town: ground (2) is classified, and more than one class is there.
    size_t classCounts[32] = {};
    for (uint8_t c : cloud.classification) ++classCounts[c & 31];
    size_t classes = 0;
    for (size_t c = 0; c < 32; ++c)
        if (classCounts[c]) {
            std::printf("  class %zu: %zu points\n", c, classCounts[c]);
            ++classes;
        }
    EXPECT_GT(classCounts[2], cloud.pointCount() / 10);
    EXPECT_GE(classes, 2u);
    EXPECT_TRUE(cloud.metadata.crsWkt.starts_with("PROJCS[\"NAD_1983_HARN_Lambert_Conformal_Conic\"")) << cloud.metadata.crsWkt;
    EXPECT_TRUE(cloud.metadata.hasGeoTiffKeys);
}

TEST(PointCloudCorpus, WarsawLas) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/pdal/warsaw_small.las");
    const asset::PointCloud cloud = readTimed(path);
    expectLas(cloud, 3000, "LAS 1.2", 3);
    // A 33 x 33 m tile.
    EXPECT_NEAR(cloud.bounds.size().x, 33.0, 2.0);
    EXPECT_NEAR(cloud.bounds.size().y, 33.0, 2.0);
    EXPECT_TRUE(cloud.metadata.crsWkt.empty());  // its WKT record holds only a placeholder
}

TEST(PointCloudCorpus, E57BunnyDoubles) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/libE57Format-test-data/reference/bunnyDouble.e57");
    const asset::PointCloud cloud = readTimed(path);
    EXPECT_EQ(cloud.pointCount(), 30571u);
    EXPECT_EQ(cloud.metadata.format, "E57 1.0");
    ASSERT_EQ(cloud.scans.size(), 1u);
    EXPECT_EQ(cloud.scans[0].name, "bunny");
    // The cartesianBounds the file declares.
    expectNear(cloud.bounds.min, {-0.094689, 0.040011, -0.061873}, 1e-6);
    expectNear(cloud.bounds.max, {0.061009, 0.187321, 0.058799}, 1e-6);
}

TEST(PointCloudCorpus, E57ColouredCube) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/libE57Format-test-data/self/ColouredCubeFloat.e57");
    const asset::PointCloud cloud = readTimed(path);
    EXPECT_EQ(cloud.pointCount(), 7680u);
    ASSERT_EQ(cloud.colors.size(), cloud.pointCount());
    expectNear(cloud.bounds.min, glm::dvec3(-0.5), 1e-6);
    expectNear(cloud.bounds.max, glm::dvec3(0.5), 1e-6);
    // Colours span the declared 0-255 range.
    glm::u16vec3 lo(65535), hi(0);
    for (const glm::u16vec3& c : cloud.colors) {
        lo = glm::min(lo, c);
        hi = glm::max(hi, c);
    }
    EXPECT_EQ(hi, glm::u16vec3(65535));
    EXPECT_LT(lo.x, 4096);
}

TEST(PointCloudCorpus, MalformedE57sNameTheOffset) {
    for (const char* name : {"self/empty.e57", "self/bad-crc.e57", "self/ZeroPoints.e57"}) {
        VT_REQUIRE_CORPUS_FILE(path, std::string("pointclouds/libE57Format-test-data/") + name);
        const Result<asset::PointCloud> cloud = readPointCloud(path);
        ASSERT_FALSE(cloud) << name;
        std::printf("%s\n", cloud.error().message.c_str());
        EXPECT_TRUE(cloud.error().message.starts_with(path.string() + ": ")) << cloud.error().message;
        EXPECT_NE(cloud.error().message.find("byte "), std::string::npos) << cloud.error().message;
    }
    VT_REQUIRE_CORPUS_FILE(badCrc, "pointclouds/libE57Format-test-data/self/bad-crc.e57");
    EXPECT_NE(readPointCloud(badCrc).error().message.find("CRC"), std::string::npos);
}

TEST(PointCloudCorpus, VertexOnlyPlyIsAPointCloud) {
    VT_REQUIRE_CORPUS_FILE(path, "meshes/stanford-bunny/bunny/data/bun000.ply");
    EXPECT_TRUE(isPointCloudFile(path));
    const asset::PointCloud cloud = readTimed(path);
    EXPECT_GT(cloud.pointCount(), 40000u);
    EXPECT_EQ(cloud.metadata.format, "PLY");
    EXPECT_LT(cloud.bounds.size().x, 0.5);  // the bunny is ~15 cm, in metres
}

TEST(PointCloudCorpus, MeshesAreNotPointClouds) {
    VT_REQUIRE_CORPUS_FILE(path, "meshes/iiif3d-assets/assets/whale/whale_cranium.glb");
    EXPECT_FALSE(isPointCloudFile(path));
}

}  // namespace
}  // namespace vt::scan
