// Untrusted point clouds: every truncation and byte-flip sweeps of a small LAZ (cut from a real
// one), of a real E57 (with the page CRCs re-sealed after each flip, so the XML and the bitpack
// decoder see the damage, not only the CRC check), of the COPC hierarchy, and of a vertex-only PLY.
// Each read returns a cloud or an error naming the file; none may crash, hang or over-allocate.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "copc.h"
#include "crc32c.h"
#include "e57_pages.h"
#include "e57_reader.h"
#include "e57_xml.h"
#include "las_rewrite.h"
#include "las_header.h"
#include "las_reader.h"
#include "ply_reader.h"
#include "scan_test_util.h"

namespace vt::scan {
namespace {

std::vector<uint8_t> readAll(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

// Writes a page's CRC-32C (big-endian) again after its payload was changed.
void resealE57Page(std::vector<uint8_t>& bytes, size_t page) {
    const size_t start = page * 1024;
    if (start + 1024 > bytes.size()) return;
    const uint32_t crc = crc32c(std::span(bytes).subspan(start, 1020));
    for (int i = 0; i < 4; ++i) bytes[start + 1020 + size_t(i)] = uint8_t(crc >> (24 - 8 * i));
}

// Corruptions: all ones, zero, the low bit, the sign bit of a little-endian field's top byte.
constexpr uint8_t kFlips[] = {0xFF, 0x01, 0x80};

struct Tally {
    size_t read = 0, refused = 0;
};

void expectLabelled(const Result<asset::PointCloud>& result, std::string_view label, Tally& tally) {
    if (result) {
        ++tally.read;
        return;
    }
    ++tally.refused;
    EXPECT_TRUE(result.error().message.starts_with(std::string(label) + ": ")) << result.error().message;
}

TEST(PointCloudMutation, LazEveryTruncationAndByteFlips) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/pdal/autzen_trim.laz");
    const std::vector<uint8_t> laz = test::rewriteWithLaszip(readAll(path), 400, true, 100);
    const Result<asset::PointCloud> valid = readLas(laz, "small.laz");
    ASSERT_TRUE(valid) << valid.error().message;
    ASSERT_EQ(valid->pointCount(), 400u);
    Tally cuts;
    for (size_t length = 0; length < laz.size(); ++length)
        expectLabelled(readLas(std::span(laz).first(length), "cut.laz"), "cut.laz", cuts);
    EXPECT_EQ(cuts.read, 0u);  // every cut loses the chunk table or points
    Tally flips;
    std::vector<uint8_t> corrupt = laz;
    for (size_t i = 0; i < laz.size(); ++i)
        for (uint8_t flip : kFlips) {
            corrupt[i] = laz[i] ^ flip;
            expectLabelled(readLas(corrupt, "flip.laz"), "flip.laz", flips);
            corrupt[i] = laz[i];
        }
    std::printf("LAZ of %zu bytes: %zu truncations refused; %zu flips read, %zu refused\n", laz.size(), cuts.refused,
                flips.read, flips.refused);
}

TEST(PointCloudMutation, LasEveryTruncation) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/pdal/warsaw_small.las");
    const std::vector<uint8_t> las = readAll(path);
    Tally cuts;
    for (size_t length = 0; length < las.size(); ++length)
        expectLabelled(readLas(std::span(las).first(length), "cut.las"), "cut.las", cuts);
    EXPECT_EQ(cuts.read, 0u);
    Tally flips;  // the header and its VLR
    for (size_t i = 0; i < 400; ++i)
        for (uint8_t flip : kFlips) {
            std::vector<uint8_t> bytes = las;
            bytes[i] ^= flip;
            expectLabelled(readLas(bytes, "flip.las"), "flip.las", flips);
        }
}

// A real file whose point count field (at `at`, `Count` wide) is overwritten with `count`: readLas
// must refuse it from the header alone, with a message naming the field and the count.
template <class Count>
void expectCountRefused(const std::filesystem::path& file, size_t at, Count count, const std::string& expected) {
    std::vector<uint8_t> bytes = readAll(file);
    std::memcpy(bytes.data() + at, &count, sizeof(Count));
    const Result<asset::PointCloud> cloud = readLas(bytes, "claim");
    ASSERT_FALSE(cloud);
    EXPECT_TRUE(cloud.error().message.starts_with("claim: " + expected)) << cloud.error().message;
}

TEST(PointCloudMutation, HeaderClaimingATrillionPointsIsRefusedBeforeAllocating) {
    VT_REQUIRE_CORPUS_FILE(lion, "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz");
    VT_REQUIRE_CORPUS_FILE(warsaw, "pointclouds/pdal/warsaw_small.las");
    // LAS 1.4 (the lion's header): the 64-bit count at byte 247, beyond what memory holds...
    expectCountRefused(lion, 247, uint64_t(1000000000000ull), "byte 247: the header claims 1000000000000 points");
    // ...and below that, but more than its compressed bytes could hold.
    expectCountRefused(lion, 247, uint64_t(1000000000ull), "byte 247: the header claims 1000000000 points, more than");
    // An uncompressed LAS 1.2 claiming more than its bytes hold.
    expectCountRefused(warsaw, 107, uint32_t(4000000000u), "byte 107: the header claims 4000000000 points");
}

// A finite but absurd scale puts points at 10^300 m: refused, not stored as infinite floats.
TEST(PointCloudMutation, ScaleThatThrowsPointsToInfinityIsRefused) {
    VT_REQUIRE_CORPUS_FILE(warsaw, "pointclouds/pdal/warsaw_small.las");
    std::vector<uint8_t> bytes = readAll(warsaw);
    const double scale = 1e300;
    std::memcpy(bytes.data() + 131, &scale, 8);
    const Result<asset::PointCloud> cloud = readLas(bytes, "far.las");
    ASSERT_FALSE(cloud);
    EXPECT_TRUE(cloud.error().message.starts_with("far.las: point 0 (point data from byte ")) << cloud.error().message;
    EXPECT_NE(cloud.error().message.find("is not finite or lies more than"), std::string::npos) << cloud.error().message;
}

TEST(PointCloudMutation, CopcHierarchyFlipsAndTruncations) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz");
    const std::vector<uint8_t> bytes = readAll(path);
    const Result<LasHeader> header = parseLasHeader(bytes, "lion");
    ASSERT_TRUE(header) << header.error().message;
    const Result<CopcHierarchy> valid = readCopcHierarchy(*header, bytes, "lion");
    ASSERT_TRUE(valid) << valid.error().message;
    // Every byte of the info VLR and of the hierarchy page.
    const LasVlr& info = header->vlrs[0];
    std::vector<size_t> positions;
    for (size_t i = 0; i < info.dataSize; ++i) positions.push_back(size_t(info.dataOffset) + i);
    for (size_t i = 0; i < valid->info.rootHierarchySize; ++i) positions.push_back(size_t(valid->info.rootHierarchyOffset) + i);
    size_t refused = 0;
    std::vector<uint8_t> corrupt = bytes;
    for (size_t at : positions)
        for (uint8_t flip : kFlips) {
            corrupt[at] = bytes[at] ^ flip;
            const Result<CopcHierarchy> h = readCopcHierarchy(*header, corrupt, "flip.copc.laz");
            if (!h) {
                ++refused;
                EXPECT_TRUE(h.error().message.starts_with("flip.copc.laz: byte ")) << h.error().message;
            }
            corrupt[at] = bytes[at];
        }
    EXPECT_GT(refused, positions.size());
    // Truncations: the header, VLRs and hierarchy are checked without decoding points.
    for (size_t length = 0; length < bytes.size(); length += (length < 4096 || length + 4096 > bytes.size()) ? 1 : 997) {
        const std::span<const uint8_t> cut = std::span(bytes).first(length);
        const Result<LasHeader> h = parseLasHeader(cut, "cut.copc.laz");
        if (h && isCopc(*h)) {
            EXPECT_FALSE(readCopcHierarchy(*h, cut, "cut.copc.laz")) << length;
        }
    }
}

TEST(PointCloudMutation, E57EveryTruncationAndResealedByteFlips) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/libE57Format-test-data/self/ColouredCubeFloat.e57");
    const std::vector<uint8_t> e57 = readAll(path);
    ASSERT_TRUE(readE57(e57, "cube.e57"));
    Tally cuts;
    for (size_t length = 0; length < e57.size(); ++length) {
        const Result<asset::PointCloud> cloud = readE57(std::span(e57).first(length), "cut.e57");
        expectLabelled(cloud, "cut.e57", cuts);
        if (!cloud) {
            EXPECT_NE(cloud.error().message.find(": byte "), std::string::npos) << cloud.error().message;
        }
    }
    EXPECT_EQ(cuts.read, 0u);

    // A flip without resealing always fails the CRC, naming its page.
    std::vector<uint8_t> corrupt = e57;
    corrupt[5000] ^= 0x10;
    const Result<asset::PointCloud> crc = readE57(corrupt, "crc.e57");
    ASSERT_FALSE(crc);
    EXPECT_NE(crc.error().message.find("crc.e57: byte 4096: page 4 fails its CRC-32C check"), std::string::npos)
        << crc.error().message;

    // Resealed: every byte of the section header and the first data packet's header and stream
    // lengths, and a stride through the rest (values, XML pages, the last page). The
    // XML gets its own sweep below, straight into its parser.
    const size_t pages = e57.size() / 1024;
    Tally flips;
    for (size_t i = 0; i < e57.size(); ++i) {
        const size_t page = i / 1024;
        const bool headers = i < 128;  // section header, packet header, stream lengths
        if (i % 1024 >= 1020 || (!headers && i % 257 != 0)) continue;
        for (uint8_t flip : {uint8_t(0xFF), uint8_t(0x01)}) {
            if (!headers && flip != 0xFF) continue;
            corrupt = e57;
            corrupt[i] ^= flip;
            resealE57Page(corrupt, page);
            expectLabelled(readE57(corrupt, "flip.e57"), "flip.e57", flips);
        }
    }
    std::printf("E57 of %zu pages: %zu truncations refused; %zu resealed flips read, %zu refused\n", pages, cuts.refused,
                flips.read, flips.refused);
    EXPECT_GT(flips.refused, 100u);
}

// Every byte of the bunny's XML section, replaced by a few characters that break XML and numbers,
// through the XML parser (pugixml and our reading of it): an error naming the XML section, or scans.
TEST(PointCloudMutation, E57BunnyXmlCorruptions) {
    VT_REQUIRE_CORPUS_FILE(path, "pointclouds/libE57Format-test-data/reference/bunnyDouble.e57");
    const std::vector<uint8_t> e57 = readAll(path);
    const Result<E57Pages> pages = E57Pages::open(e57, "bunny.e57");
    ASSERT_TRUE(pages) << pages.error().message;
    const Result<std::vector<uint8_t>> xml = pages->read(pages->xmlOffset, pages->xmlLength, "the XML section");
    ASSERT_TRUE(xml) << xml.error().message;
    ASSERT_TRUE(parseE57Xml(*xml, pages->xmlOffset, "bunny.e57"));
    size_t refused = 0;
    std::vector<uint8_t> corrupt = *xml;
    for (size_t i = 0; i < xml->size(); ++i) {
        for (uint8_t value : {uint8_t('<'), uint8_t('9'), uint8_t('-'), uint8_t(0)}) {
            corrupt[i] = value;
            const Result<std::vector<E57Scan>> scans = parseE57Xml(corrupt, pages->xmlOffset, "xml.e57");
            if (!scans) {
                ++refused;
                EXPECT_TRUE(scans.error().message.starts_with("xml.e57: XML section at byte ")) << scans.error().message;
            }
        }
        corrupt[i] = (*xml)[i];
    }
    EXPECT_GT(refused, xml->size());
    // A whole file with a damaged, resealed XML page still ends in an error or a cloud.
    std::vector<uint8_t> file = e57;
    const std::string_view text(reinterpret_cast<const char*>(xml->data()), xml->size());
    const size_t data3D = text.find("<data3D");
    ASSERT_NE(data3D, std::string_view::npos);
    const uint64_t at = E57Pages::advance(pages->xmlOffset, data3D + 5);  // past the CRCs between
    file[size_t(at)] = 'X';  // <dataXD
    resealE57Page(file, size_t(at / 1024));
    const Result<asset::PointCloud> cloud = readE57(file, "xml.e57");
    ASSERT_FALSE(cloud);
    EXPECT_TRUE(cloud.error().message.starts_with("xml.e57: XML section at byte ")) << cloud.error().message;
}

TEST(PointCloudMutation, VertexOnlyPlyTruncationsAndCorruptions) {
    std::string header = "ply\nformat binary_little_endian 1.0\nelement vertex 5\nproperty double x\nproperty double y\n"
                         "property double z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n";
    std::vector<uint8_t> ply(header.begin(), header.end());
    for (int v = 0; v < 5; ++v) {
        for (double c : {1000000.0 + v, 2.0 * v, -3.0}) test::append(ply, c);
        ply.insert(ply.end(), {uint8_t(50 * v), 255, 0});
    }
    const Result<asset::PointCloud> valid = parsePlyPoints(ply, "points.ply");
    ASSERT_TRUE(valid) << valid.error().message;
    EXPECT_EQ(valid->pointCount(), 5u);
    EXPECT_EQ(valid->bounds.max.x, 1000004.0);  // doubles kept exact
    EXPECT_EQ(valid->colors[1], glm::u16vec3(50 * 257, 65535, 0));
    Tally cuts;
    for (size_t length = 0; length < ply.size(); ++length)
        expectLabelled(parsePlyPoints(std::span(ply).first(length), "cut.ply"), "cut.ply", cuts);
    EXPECT_EQ(cuts.read, 0u);
    Tally flips;
    for (size_t i = 0; i < ply.size(); ++i)
        for (uint8_t flip : kFlips) {
            std::vector<uint8_t> corrupt = ply;
            corrupt[i] ^= flip;
            expectLabelled(parsePlyPoints(corrupt, "flip.ply"), "flip.ply", flips);
        }
}

}  // namespace
}  // namespace vt::scan
