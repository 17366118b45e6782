#include "pack/byte_source.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vt::pack {
namespace {

class FileSource final : public ByteSource {
public:
    FileSource(int fd, uint64_t size, std::string path) : fd_(fd), size_(size), path_(std::move(path)) {}
    ~FileSource() override { ::close(fd_); }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    uint64_t size() const override { return size_; }

    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        if (offset > size_ || bytes > size_ - offset) {
            return fail("{}: read of {} bytes at offset {} is past the end of the file ({} bytes)", path_, bytes,
                        offset, size_);
        }
        std::vector<uint8_t> data(bytes);
        uint64_t done = 0;
        while (done < bytes) {
            const ssize_t got = ::pread(fd_, data.data() + done, bytes - done, static_cast<off_t>(offset + done));
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                return fail("{}: byte {}: read failed: {}", path_, offset + done,
                            got < 0 ? std::strerror(errno) : "file shrank while reading");
            }
            done += static_cast<uint64_t>(got);
        }
        return data;
    }

private:
    int fd_;
    uint64_t size_;
    std::string path_;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::span<const uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
    uint64_t size() const override { return bytes_.size(); }
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        if (offset > bytes_.size() || bytes > bytes_.size() - offset) {
            return fail("read of {} bytes at offset {} is past the end ({} bytes)", bytes, offset, bytes_.size());
        }
        const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(offset);
        return std::vector<uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(bytes));
    }

private:
    std::vector<uint8_t> bytes_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> openFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail("{}: cannot open: {}", path.string(), std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return fail("{}: not a regular file", path.string());
    }
    return std::make_unique<FileSource>(fd, static_cast<uint64_t>(info.st_size), path.string());
}

std::unique_ptr<ByteSource> memorySource(std::span<const uint8_t> bytes) {
    return std::make_unique<MemorySource>(bytes);
}

}  // namespace vt::pack
