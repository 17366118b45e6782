#include "stream/serialized_source.h"

#include <mutex>

namespace vt::stream {
namespace {

class SerializedSource final : public pack::ByteSource {
public:
    explicit SerializedSource(std::unique_ptr<pack::ByteSource> inner)
        : inner_(std::move(inner)), size_(inner_->size()), held_(inner_->heldPrefixBytes()) {}
    uint64_t size() const override { return size_; }  // fixed for the source's lifetime: read once, no lock
    uint64_t heldPrefixBytes() const override { return held_; }  // likewise
    Result<std::vector<uint8_t>> read(uint64_t offset, uint64_t bytes) override {
        std::lock_guard lock(mutex_);
        return inner_->read(offset, bytes);
    }

private:
    std::unique_ptr<pack::ByteSource> inner_;
    uint64_t size_, held_;
    std::mutex mutex_;
};

}  // namespace

std::unique_ptr<pack::ByteSource> serializedSource(std::unique_ptr<pack::ByteSource> inner) {
    return std::make_unique<SerializedSource>(std::move(inner));
}

}  // namespace vt::stream
