#pragma once
// Little-endian serialization helpers for the pack (internal to engine/pack).
//
// ByteWriter appends; ByteCursor reads from an untrusted span and never reads past its end: the first
// short read marks the cursor failed, remembers where, and every later read returns zeros, so a parser
// can read a whole record and check ok() once.

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <glm/glm.hpp>

namespace vt::pack::detail {

template <class T>
T toLittle(T value) {
    if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1) return std::byteswap(value);
    return value;
}

class ByteWriter {
public:
    std::vector<uint8_t>& bytes() { return bytes_; }
    size_t size() const { return bytes_.size(); }

    void u8(uint8_t v) { bytes_.push_back(v); }
    void u16(uint16_t v) { put(toLittle(v)); }
    void u32(uint32_t v) { put(toLittle(v)); }
    void u64(uint64_t v) { put(toLittle(v)); }
    void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
    void f32(float v) { u32(std::bit_cast<uint32_t>(v)); }
    void vec2(glm::vec2 v) { f32(v.x), f32(v.y); }
    void vec3(glm::vec3 v) { f32(v.x), f32(v.y), f32(v.z); }
    void vec4(glm::vec4 v) { f32(v.x), f32(v.y), f32(v.z), f32(v.w); }
    void raw(std::span<const uint8_t> data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
    void string(std::string_view s) {  // u16 length, then the bytes (no terminator)
        u16(static_cast<uint16_t>(s.size()));
        raw({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    // Overwrites 4 or 8 bytes written earlier (sizes and checksums known only later).
    void patchU32(size_t at, uint32_t v) { v = toLittle(v), std::memcpy(bytes_.data() + at, &v, 4); }
    void patchU64(size_t at, uint64_t v) { v = toLittle(v), std::memcpy(bytes_.data() + at, &v, 8); }

private:
    template <class T>
    void put(T v) {
        const size_t at = bytes_.size();
        bytes_.resize(at + sizeof(T));
        std::memcpy(bytes_.data() + at, &v, sizeof(T));
    }
    std::vector<uint8_t> bytes_;
};

class ByteCursor {
public:
    // `base` is the offset of data[0] in whatever the messages count bytes in (file or directory).
    ByteCursor(std::span<const uint8_t> data, uint64_t base) : data_(data), base_(base) {}

    bool ok() const { return ok_; }
    size_t position() const { return position_; }
    uint64_t offset() const { return base_ + position_; }  // for messages
    uint64_t failedAt() const { return base_ + failedAt_; }
    size_t remaining() const { return data_.size() - position_; }

    uint8_t u8() { return get<uint8_t>(); }
    uint16_t u16() { return toLittle(get<uint16_t>()); }
    uint32_t u32() { return toLittle(get<uint32_t>()); }
    uint64_t u64() { return toLittle(get<uint64_t>()); }
    int32_t i32() { return static_cast<int32_t>(u32()); }
    float f32() { return std::bit_cast<float>(u32()); }
    glm::vec2 vec2() { const float x = f32(); return {x, f32()}; }
    glm::vec3 vec3() { const float x = f32(), y = f32(); return {x, y, f32()}; }
    glm::vec4 vec4() { const float x = f32(), y = f32(), z = f32(); return {x, y, z, f32()}; }
    std::span<const uint8_t> raw(size_t count) {
        if (!take(count)) return {};
        return data_.subspan(position_ - count, count);
    }
    // A u16-length-prefixed string; lengths over maxBytes fail the cursor.
    std::string string(size_t maxBytes) {
        const uint16_t length = u16();
        if (length > maxBytes) {
            markFailed();
            return {};
        }
        const auto bytes = raw(length);
        return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }

private:
    template <class T>
    T get() {
        T v{};
        if (take(sizeof(T))) std::memcpy(&v, data_.data() + position_ - sizeof(T), sizeof(T));
        return v;
    }
    bool take(size_t count) {
        if (!ok_) return false;
        if (count > data_.size() - position_) {
            markFailed();
            return false;
        }
        position_ += count;
        return true;
    }
    void markFailed() {
        if (ok_) failedAt_ = position_;
        ok_ = false;
    }

    std::span<const uint8_t> data_;
    uint64_t base_;
    size_t position_ = 0;
    size_t failedAt_ = 0;
    bool ok_ = true;
};

}  // namespace vt::pack::detail
