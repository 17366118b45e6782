#include "las_rewrite.h"

#include <laszip/laszip_api.h>

#include <algorithm>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace vt::scan::test {

std::vector<uint8_t> rewriteWithLaszip(const std::vector<uint8_t>& source, uint64_t points, bool compress,
                                       uint32_t chunkSize) {
    laszip_POINTER reader = nullptr, writer = nullptr;
    laszip_create(&reader);
    laszip_create(&writer);
    std::istringstream in(std::string(source.begin(), source.end()));
    laszip_BOOL compressed = 0;
    EXPECT_EQ(laszip_open_reader_stream(reader, in, &compressed), 0);
    laszip_header_struct* header = nullptr;
    laszip_get_header_pointer(reader, &header);
    laszip_header_struct copy = *header;
    const uint64_t total = header->number_of_point_records ? header->number_of_point_records
                                                           : header->extended_number_of_point_records;
    points = std::min(points, total);
    if (copy.version_minor >= 4) {
        copy.number_of_point_records = 0;
        copy.extended_number_of_point_records = points;
    } else {
        copy.number_of_point_records = uint32_t(points);
    }
    copy.start_of_first_extended_variable_length_record = 0;
    copy.number_of_extended_variable_length_records = 0;
    EXPECT_EQ(laszip_set_header(writer, &copy), 0);
    laszip_remove_vlr(writer, "copc", 1);
    if (compress) laszip_set_chunk_size(writer, chunkSize);
    std::ostringstream out;
    EXPECT_EQ(laszip_open_writer_stream(writer, out, compress, 0), 0);
    laszip_point_struct* point = nullptr;
    laszip_get_point_pointer(reader, &point);
    for (uint64_t i = 0; i < points; ++i) {
        laszip_read_point(reader);
        laszip_set_point(writer, point);
        laszip_write_point(writer);
    }
    laszip_close_writer(writer);
    laszip_close_reader(reader);
    laszip_destroy(writer);
    laszip_destroy(reader);
    const std::string bytes = out.str();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace vt::scan::test
