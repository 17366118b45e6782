// Point formats 0-10, each written by LASzip as LAS and as LAZ (a few points with known values), read
// back by readLas: positions, intensity, classification, and RGB where the format has it. This checks
// our own LAZ item-list check against what LASzip really writes for every format.
#include <gtest/gtest.h>

#include <laszip/laszip_api.h>

#include <cstring>
#include <format>
#include <sstream>
#include <string>

#include "las_reader.h"

namespace vt::scan {
namespace {

constexpr int kPoints = 300;

std::vector<uint8_t> writeFormat(uint8_t format, bool compress) {
    static constexpr uint16_t kLengths[11] = {20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67};
    laszip_POINTER writer = nullptr;
    laszip_create(&writer);
    laszip_header_struct* header = nullptr;
    laszip_get_header_pointer(writer, &header);
    const bool extended = format >= 6;
    header->version_major = 1;
    header->version_minor = extended ? 4 : 2;
    header->header_size = extended ? 375 : 227;
    header->offset_to_point_data = header->header_size;
    header->point_data_format = format;
    header->point_data_record_length = kLengths[format];
    if (extended) header->extended_number_of_point_records = kPoints;
    else header->number_of_point_records = kPoints;
    header->x_scale_factor = header->y_scale_factor = header->z_scale_factor = 0.01;
    header->x_offset = 1000.0;
    header->min_x = 1000.0;
    header->max_x = 1000.0 + (kPoints - 1) * 0.01;
    header->max_y = (kPoints - 1) * 0.02;
    header->max_z = 5.0;
    laszip_point_struct* point = nullptr;
    laszip_get_point_pointer(writer, &point);
    std::ostringstream out;
    EXPECT_EQ(laszip_open_writer_stream(writer, out, compress, 0), 0);
    for (int i = 0; i < kPoints; ++i) {
        std::memset(point, 0, offsetof(laszip_point_struct, num_extra_bytes));
        point->X = i;
        point->Y = 2 * i;
        point->Z = 500;
        point->intensity = uint16_t(i * 100);
        point->return_number = 1;
        point->number_of_returns = 1;
        point->classification = uint8_t(i % 20);
        point->extended_return_number = 1;
        point->extended_number_of_returns = 1;
        point->extended_classification = uint8_t(i % 20);
        point->rgb[0] = uint16_t(i * 200);
        point->rgb[1] = 65535;
        point->rgb[2] = 1000;
        EXPECT_EQ(laszip_write_point(writer), 0);
    }
    EXPECT_EQ(laszip_close_writer(writer), 0);
    laszip_destroy(writer);
    const std::string bytes = out.str();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

TEST(LasFormats, EveryPointFormatAsLasAndLaz) {
    for (uint8_t format = 0; format <= 10; ++format)
        for (const bool compress : {false, true}) {
            const std::string label = std::format("format{}.{}", format, compress ? "laz" : "las");
            const std::vector<uint8_t> file = writeFormat(format, compress);
            const Result<asset::PointCloud> cloud = readLas(file, label);
            ASSERT_TRUE(cloud) << cloud.error().message;
            ASSERT_EQ(cloud->pointCount(), size_t(kPoints)) << label;
            EXPECT_EQ(cloud->metadata.pointFormat, format) << label;
            const bool rgb = format == 2 || format == 3 || format == 5 || format == 7 || format == 8 || format == 10;
            EXPECT_EQ(cloud->colors.size(), rgb ? size_t(kPoints) : 0u) << label;
            for (int i = 0; i < kPoints; i += 17) {
                const glm::dvec3 p = cloud->position(size_t(i));
                EXPECT_NEAR(p.x, 1000.0 + i * 0.01, 1e-6) << label;
                EXPECT_NEAR(p.y, i * 0.02, 1e-6) << label;
                EXPECT_NEAR(p.z, 5.0, 1e-6) << label;
                EXPECT_EQ(cloud->intensity[size_t(i)], uint16_t(i * 100)) << label;
                EXPECT_EQ(cloud->classification[size_t(i)], uint8_t(i % 20)) << label;
                if (rgb) {
                    EXPECT_EQ(cloud->colors[size_t(i)], glm::u16vec3(i * 200, 65535, 1000)) << label;
                }
            }
        }
}

}  // namespace
}  // namespace vt::scan
