#pragma once
// Reading little-endian scalars out of untrusted bytes: the caller has checked the range.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace vt::scan {

template <class T>
T loadLittleEndian(const uint8_t* bytes) {
    T value;
    std::memcpy(&value, bytes, sizeof(T));  // the build targets little-endian machines only
    return value;
}

// A fixed-size text field (LAS user ids, descriptions): up to the first NUL.
inline std::string fixedString(const uint8_t* bytes, size_t size) {
    size_t length = 0;
    while (length < size && bytes[length] != 0) ++length;
    return std::string(reinterpret_cast<const char*>(bytes), length);
}

}  // namespace vt::scan
