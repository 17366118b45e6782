#pragma once
// A read-only, seekable std::istream over bytes in memory (for libraries that read from streams).

#include <cstdint>
#include <istream>
#include <span>
#include <streambuf>

namespace vt::scan {

class MemoryStreamBuf : public std::streambuf {
public:
    explicit MemoryStreamBuf(std::span<const uint8_t> bytes) {
        char* begin = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
        setg(begin, begin, begin + bytes.size());
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override {
        if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
        const off_type base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? gptr() - eback() : egptr() - eback();
        const off_type target = base + off;
        if (target < 0 || target > egptr() - eback()) return pos_type(off_type(-1));
        setg(eback(), eback() + target, egptr());
        return pos_type(target);
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }
};

class MemoryStream : public std::istream {
public:
    explicit MemoryStream(std::span<const uint8_t> bytes) : std::istream(nullptr), buffer(bytes) { rdbuf(&buffer); }

private:
    MemoryStreamBuf buffer;
};

}  // namespace vt::scan
