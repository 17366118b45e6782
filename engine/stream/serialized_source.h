#pragma once
// StreamingScene calls ByteSource::read from several I/O threads at once. pack::openFile (pread on
// one descriptor, no shared offset) and pack::memorySource (a const copy) are safe for that; wrap any
// source that is not in serializedSource(), which lets one read through at a time.

#include <memory>

#include "pack/byte_source.h"

namespace vt::stream {

std::unique_ptr<pack::ByteSource> serializedSource(std::unique_ptr<pack::ByteSource> inner);

}  // namespace vt::stream
