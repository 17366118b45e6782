// What the corpus's E57 files do not have: two scans with poses, scaled integers packed across byte
// boundaries, spherical coordinates, intensity and colour limits. The file is written here, by the
// standard's rules (pages with CRC-32C, physical offsets, one data packet per scan, bitpack
// LSB first), and read back through readE57.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <format>
#include <numbers>
#include <string>

#include "crc32c.h"
#include "e57_pages.h"
#include "e57_reader.h"

namespace vt::scan {
namespace {

class BitWriter {
public:
    void put(uint64_t value, uint32_t bits) {
        for (uint32_t i = 0; i < bits; ++i, ++count) {
            if (count % 8 == 0) bytes.push_back(0);
            bytes.back() |= uint8_t(((value >> i) & 1) << (count % 8));
        }
    }
    template <class T>
    void raw(T value) {
        const auto* p = reinterpret_cast<const uint8_t*>(&value);
        bytes.insert(bytes.end(), p, p + sizeof(T));
        count += 8 * sizeof(T);
    }
    std::vector<uint8_t> bytes;
    uint64_t count = 0;
};

template <class T>
void append(std::vector<uint8_t>& out, T value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    out.insert(out.end(), p, p + sizeof(T));
}

uint64_t physicalOf(uint64_t logical) { return (logical / 1020) * 1024 + logical % 1020; }

// A compressed vector section at logical offset `at`: its header and one data packet.
std::vector<uint8_t> section(uint64_t at, const std::vector<std::vector<uint8_t>>& streams) {
    std::vector<uint8_t> packet = {1, 0, 0, 0};
    append(packet, uint16_t(streams.size()));
    for (const auto& s : streams) append(packet, uint16_t(s.size()));
    for (const auto& s : streams) packet.insert(packet.end(), s.begin(), s.end());
    while (packet.size() % 4) packet.push_back(0);
    const uint16_t lengthMinus1 = uint16_t(packet.size() - 1);
    std::memcpy(&packet[2], &lengthMinus1, 2);
    std::vector<uint8_t> out = {1, 0, 0, 0, 0, 0, 0, 0};
    append(out, uint64_t(32 + packet.size()));
    append(out, physicalOf(at + 32));
    append(out, uint64_t(0));
    out.insert(out.end(), packet.begin(), packet.end());
    return out;
}

// Pages: 1020 payload bytes and a big-endian CRC-32C each.
std::vector<uint8_t> paginate(std::vector<uint8_t> logical) {
    while (logical.size() % 1020) logical.push_back(0);
    std::vector<uint8_t> file;
    for (size_t at = 0; at < logical.size(); at += 1020) {
        file.insert(file.end(), logical.begin() + ptrdiff_t(at), logical.begin() + ptrdiff_t(at + 1020));
        const uint32_t crc = crc32c(std::span(logical).subspan(at, 1020));
        for (int i = 0; i < 4; ++i) file.push_back(uint8_t(crc >> (24 - 8 * i)));
    }
    return file;
}

constexpr int kPoints = 500;

// claimedA: the record count station A's XML claims (its section holds kPoints); sameSection: station
// B names station A's section.
std::vector<uint8_t> twoScanE57(uint64_t claimedA = kPoints, bool sameSection = false) {
    // Scan A: cartesian ScaledIntegers of 11 bits (-1000..1000 at 1 mm), intensity of 11 bits.
    BitWriter ax, ay, az, ai;
    for (int i = 0; i < kPoints; ++i) {
        ax.put(uint64_t(i - 250 + 1000), 11);
        ay.put(uint64_t(2 * i % 2001), 11);
        az.put(uint64_t(1000 + 7), 11);
        ai.put(uint64_t(i * 4 % 2048), 11);
    }
    // Scan B: spherical (range float, azimuth ScaledInteger of 13 bits, elevation double) and colour.
    BitWriter br, ba, be, cr, cg, cb;
    for (int i = 0; i < kPoints; ++i) {
        br.raw(float(2.0f));
        ba.put(uint64_t(i * 8 % 6284), 13);  // azimuth = raw * 0.001 rad
        be.raw(double(0.0));
        cr.put(uint64_t(i % 256), 8);
        cg.put(255, 8);
        cb.put(0, 8);
    }
    std::vector<uint8_t> logical(48, 0);
    const uint64_t sectionA = logical.size();
    const std::vector<uint8_t> a = section(sectionA, {ax.bytes, ay.bytes, az.bytes, ai.bytes});
    logical.insert(logical.end(), a.begin(), a.end());
    const uint64_t sectionB = logical.size();
    const std::vector<uint8_t> b = section(sectionB, {br.bytes, ba.bytes, be.bytes, cr.bytes, cg.bytes, cb.bytes});
    logical.insert(logical.end(), b.begin(), b.end());
    const std::string xml = std::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<e57Root type="Structure" xmlns="http://www.astm.org/COMMIT/E57/2010-e57-v1.0">
  <formatName type="String"><![CDATA[ASTM E57 3D Imaging Data File]]></formatName>
  <data3D type="Vector" allowHeterogeneousChildren="1">
    <vectorChild type="Structure">
      <name type="String"><![CDATA[station A]]></name>
      <pose type="Structure">
        <rotation type="Structure"><w type="Float">0.70710678118654752</w><x type="Float"/><y type="Float"/><z type="Float">0.70710678118654752</z></rotation>
        <translation type="Structure"><x type="Float">10</x><y type="Float"/><z type="Float"/></translation>
      </pose>
      <intensityLimits type="Structure"><intensityMinimum type="Integer">0</intensityMinimum><intensityMaximum type="Integer">2047</intensityMaximum></intensityLimits>
      <points type="CompressedVector" fileOffset="{}" recordCount="{}">
        <prototype type="Structure">
          <cartesianX type="ScaledInteger" minimum="-1000" maximum="1000" scale="0.001"/>
          <cartesianY type="ScaledInteger" minimum="0" maximum="2000" scale="0.001" offset="5"/>
          <cartesianZ type="ScaledInteger" minimum="-1000" maximum="1000" scale="0.001"/>
          <intensity type="Integer" minimum="0" maximum="2047"/>
        </prototype>
        <codecs type="Vector" allowHeterogeneousChildren="1"/>
      </points>
    </vectorChild>
    <vectorChild type="Structure">
      <name type="String"><![CDATA[station B]]></name>
      <colorLimits type="Structure"><colorRedMaximum type="Integer">255</colorRedMaximum><colorGreenMaximum type="Integer">255</colorGreenMaximum><colorBlueMaximum type="Integer">255</colorBlueMaximum></colorLimits>
      <points type="CompressedVector" fileOffset="{}" recordCount="{}">
        <prototype type="Structure">
          <sphericalRange type="Float" precision="single"/>
          <sphericalAzimuth type="ScaledInteger" minimum="0" maximum="6283" scale="0.001"/>
          <sphericalElevation type="Float"/>
          <colorRed type="Integer" minimum="0" maximum="255"/>
          <colorGreen type="Integer" minimum="0" maximum="255"/>
          <colorBlue type="Integer" minimum="0" maximum="255"/>
        </prototype>
        <codecs type="Vector" allowHeterogeneousChildren="1"/>
      </points>
    </vectorChild>
  </data3D>
</e57Root>
)",
                                        physicalOf(sectionA), claimedA, physicalOf(sameSection ? sectionA : sectionB), kPoints);
    const uint64_t xmlAt = logical.size();
    logical.insert(logical.end(), xml.begin(), xml.end());
    const uint64_t pages = (logical.size() + 1019) / 1020;
    std::memcpy(logical.data(), "ASTM-E57", 8);
    const uint32_t major = 1, minor = 0;
    const uint64_t header[4] = {pages * 1024, physicalOf(xmlAt), xml.size(), 1024};
    std::memcpy(&logical[8], &major, 4);
    std::memcpy(&logical[12], &minor, 4);
    std::memcpy(&logical[16], header, sizeof(header));
    return paginate(logical);
}

TEST(E57Synthetic, TwoScansWithPosesScaledIntegersSphericalIntensityColour) {
    const std::vector<uint8_t> file = twoScanE57();
    ASSERT_GT(file.size(), 2048u);  // the sections and XML cross page boundaries
    const Result<asset::PointCloud> cloud = readE57(file, "two-scans.e57");
    ASSERT_TRUE(cloud) << cloud.error().message;
    ASSERT_EQ(cloud->pointCount(), size_t(2 * kPoints));
    ASSERT_EQ(cloud->scans.size(), 2u);
    EXPECT_EQ(cloud->scans[0].name, "station A");
    EXPECT_EQ(cloud->scans[1].firstPoint, uint64_t(kPoints));
    ASSERT_EQ(cloud->intensity.size(), cloud->pointCount());
    ASSERT_EQ(cloud->colors.size(), cloud->pointCount());
    for (int i = 0; i < kPoints; i += 37) {
        // Scan A: local (x, y, z) turned 90 degrees about z, then moved 10 along x.
        const glm::dvec3 local((i - 250) * 0.001, (2 * i % 2001) * 0.001 + 5.0, 0.007);
        const glm::dvec3 expected(10.0 - local.y, local.x, local.z);
        const glm::dvec3 got = cloud->position(size_t(i));
        for (int axis = 0; axis < 3; ++axis) EXPECT_NEAR(got[axis], expected[axis], 1e-5) << i << " axis " << axis;
        EXPECT_EQ(cloud->intensity[size_t(i)], uint16_t(std::lround((i * 4 % 2048) / 2047.0 * 65535.0))) << i;
        // Scan B: range 2 on the horizon at azimuth i * 8 mrad; red ramps, green full, blue none.
        const double azimuth = (i * 8 % 6284) * 0.001;
        const glm::dvec3 b = cloud->position(size_t(kPoints + i));
        EXPECT_NEAR(b.x, 2.0 * std::cos(azimuth), 1e-5) << i;
        EXPECT_NEAR(b.y, 2.0 * std::sin(azimuth), 1e-5) << i;
        EXPECT_NEAR(b.z, 0.0, 1e-6) << i;
        EXPECT_EQ(cloud->colors[size_t(kPoints + i)], glm::u16vec3((i % 256) * 257, 65535, 0)) << i;
        EXPECT_EQ(cloud->colors[size_t(i)], glm::u16vec3(65535)) << "scan A has no colour: white";
    }
}

TEST(E57Synthetic, RecordCountLargerThanTheSectionIsRefusedBeforeDecoding) {
    // 9 million records of 44 bits cannot fit in station A's section of a few kilobytes.
    const std::vector<uint8_t> file = twoScanE57(9000000);
    const Result<asset::PointCloud> cloud = readE57(file, "lying.e57");
    ASSERT_FALSE(cloud);
    EXPECT_NE(cloud.error().message.find("cannot fit in a section"), std::string::npos) << cloud.error().message;
    EXPECT_TRUE(cloud.error().message.starts_with("lying.e57: byte 48: ")) << cloud.error().message;
}

TEST(E57Synthetic, TwoScansSharingOneSectionAreRefused) {
    const Result<asset::PointCloud> cloud = readE57(twoScanE57(kPoints, true), "shared.e57");
    ASSERT_FALSE(cloud);
    EXPECT_TRUE(cloud.error().message.starts_with("shared.e57: byte 48: scan 'station B' reads the same points section"))
        << cloud.error().message;
}

// Every byte of the two binary sections (the first two pages) flipped, the page CRC re-sealed: the
// scaled-integer, spherical and colour paths see damaged headers and values; nothing crashes.
TEST(E57Synthetic, ResealedFlipsOfTheSections) {
    const std::vector<uint8_t> file = twoScanE57();
    size_t refused = 0;
    for (size_t i = 48; i < 2048; ++i) {
        if (i % 1024 >= 1020) continue;
        std::vector<uint8_t> corrupt = file;
        corrupt[i] ^= 0xFF;
        const size_t page = i / 1024;
        const uint32_t crc = crc32c(std::span(corrupt).subspan(page * 1024, 1020));
        for (int b = 0; b < 4; ++b) corrupt[page * 1024 + 1020 + size_t(b)] = uint8_t(crc >> (24 - 8 * b));
        const Result<asset::PointCloud> cloud = readE57(corrupt, "flip.e57");
        if (!cloud) {
            ++refused;
            EXPECT_TRUE(cloud.error().message.starts_with("flip.e57: byte ")) << cloud.error().message;
        }
    }
    EXPECT_GT(refused, 50u);  // headers, packet lengths and out-of-range values are caught
}

}  // namespace
}  // namespace vt::scan
