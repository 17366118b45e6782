// Untrusted input: every truncation and single-byte corruption of a small valid pack must come back as
// an error (never a crash, never an out-of-bounds read; run under ASan/UBSan). A second sweep corrupts
// the directory and page payloads *behind* valid checksums, as a malicious file would, so the
// structural validation is exercised, not just the checksums.

#include <gtest/gtest.h>

#include <cstring>
#include <format>
#include <functional>

#include <xxhash.h>
#include <zstd.h>

#include "pack/pack_reader.h"
#include "pack/pack_verify.h"
#include "pack/pack_writer.h"
#include "pack_test_util.h"
#include "pack/texture_codec.h"
#include "texture_wire_util.h"

namespace vt::pack {
namespace {

// A small pack with several pages, textures early and late.
std::vector<uint8_t> smallPack() {
    PackContents contents = test::makeContents(4);
    WriteOptions options;
    options.rootPageBytes = 2048;
    options.pageTargetBytes = 4096;
    options.earlyMipBytes = 64;
    auto bytes = encodePack(contents, options);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : std::vector<uint8_t>{};
}

// Opens and fully verifies; true when everything was accepted.
bool accepted(std::span<const uint8_t> bytes, std::string* firstError = nullptr) {
    auto source = memorySource(bytes);
    auto reader = PackReader::open(*source, "mutant.vpk");
    if (!reader) {
        if (firstError) *firstError = reader.error().message;
        return false;
    }
    const VerifyReport report = verifyPack(*reader);
    if (!report.ok() && firstError) *firstError = report.faults.front();
    return report.ok();
}

uint64_t readU64(std::span<const uint8_t> bytes, size_t at) {
    uint64_t v;
    std::memcpy(&v, bytes.data() + at, 8);
    return v;
}

void writeU32(std::vector<uint8_t>& bytes, size_t at, uint32_t v) { std::memcpy(bytes.data() + at, &v, 4); }
void writeU64(std::vector<uint8_t>& bytes, size_t at, uint64_t v) { std::memcpy(bytes.data() + at, &v, 8); }

struct Unpacked {
    std::vector<uint8_t> header;     // 192 bytes
    std::vector<uint8_t> directory;  // uncompressed
    std::vector<uint8_t> data;       // data section
};

Unpacked unpack(std::span<const uint8_t> pack) {
    uint32_t compressedBytes, directoryBytes;
    std::memcpy(&compressedBytes, pack.data() + 24, 4);
    std::memcpy(&directoryBytes, pack.data() + 28, 4);
    Unpacked u;
    u.header.assign(pack.begin(), pack.begin() + kHeaderBytes);
    u.directory.resize(directoryBytes);
    ZSTD_decompress(u.directory.data(), u.directory.size(), pack.data() + kHeaderBytes, compressedBytes);
    u.data.assign(pack.begin() + kHeaderBytes + compressedBytes, pack.end());
    return u;
}

// Reassembles a pack with every size and checksum made consistent again.
std::vector<uint8_t> repack(Unpacked u) {
    std::vector<uint8_t> compressed(ZSTD_compressBound(u.directory.size()));
    compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), u.directory.data(), u.directory.size(), 1));
    std::vector<uint8_t> out = u.header;
    writeU64(out, 16, kHeaderBytes + compressed.size() + u.data.size());
    writeU32(out, 24, static_cast<uint32_t>(compressed.size()));
    writeU32(out, 28, static_cast<uint32_t>(u.directory.size()));
    writeU64(out, 32, XXH3_64bits(compressed.data(), compressed.size()));
    writeU64(out, kHeaderBytes - 8, XXH3_64bits(out.data(), kHeaderBytes - 8));
    out.insert(out.end(), compressed.begin(), compressed.end());
    out.insert(out.end(), u.data.begin(), u.data.end());
    return out;
}

TEST(PackCorruption, RepackIsIdentityForTheValidPack) {
    const auto pack = smallPack();
    std::string error;
    EXPECT_TRUE(accepted(repack(unpack(pack)), &error)) << error;
}

TEST(PackCorruption, EveryTruncationIsAnError) {
    const auto pack = smallPack();
    ASSERT_FALSE(pack.empty());
    ASSERT_TRUE(accepted(pack));
    for (size_t length = 0; length < pack.size(); ++length) {
        ASSERT_FALSE(accepted(std::span(pack).first(length))) << "prefix of " << length << " bytes accepted";
    }
    std::printf("checked %zu truncations\n", pack.size());
}

TEST(PackCorruption, EveryByteFlipIsAnError) {
    const auto pack = smallPack();
    ASSERT_FALSE(pack.empty());
    std::vector<uint8_t> mutant = pack;
    size_t checked = 0;
    for (size_t at = 0; at < pack.size(); ++at) {
        for (const uint8_t flip : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
            mutant[at] = static_cast<uint8_t>(pack[at] ^ flip);
            // Every byte is covered by a checksum (header, directory, each page and mip): no flip passes.
            std::string error;
            ASSERT_FALSE(accepted(mutant, &error)) << "flip " << int(flip) << " at byte " << at << " accepted";
            ++checked;
        }
        mutant[at] = pack[at];
    }
    std::printf("checked %zu byte flips\n", checked);
}

// The reported error names the byte and the problem.
TEST(PackCorruption, MessagesNameTheByte) {
    auto pack = smallPack();
    std::string error;
    pack.push_back(0);
    EXPECT_FALSE(accepted(pack, &error));
    EXPECT_NE(error.find("byte 16: the header says the file is"), std::string::npos) << error;
    pack.pop_back();
    pack[kHeaderBytes + 3] ^= 0x55;
    EXPECT_FALSE(accepted(pack, &error));
    EXPECT_NE(error.find("byte 192: directory checksum mismatch"), std::string::npos) << error;
    pack[kHeaderBytes + 3] ^= 0x55;
    pack.back() ^= 1;
    EXPECT_FALSE(accepted(pack, &error));
    EXPECT_NE(error.find("checksum mismatch"), std::string::npos) << error;
}

// Page record offsets pointing past the end, behind valid checksums.
TEST(PackCorruption, PageOffsetPastTheEnd) {
    const auto pack = smallPack();
    Unpacked u = unpack(pack);
    auto source = memorySource(pack);
    auto reader = PackReader::open(*source, "x");
    ASSERT_TRUE(reader);
    // Page records follow name, source, materials, textures and mips: find page 1's by its known offset.
    const uint64_t relative = reader->pages()[1].offset - reader->dataOffset();
    size_t at = 0;
    for (; at + 8 <= u.directory.size(); ++at) {
        if (readU64(u.directory, at) == relative && readU64(u.directory, at + 8) ==
            (uint64_t{reader->pages()[1].compressedBytes} | uint64_t{reader->pages()[1].uncompressedBytes} << 32)) {
            break;
        }
    }
    ASSERT_LT(at + 8, u.directory.size());
    writeU64(u.directory, at, u.data.size() - 10);
    std::string error;
    EXPECT_FALSE(accepted(repack(u), &error));
    EXPECT_NE(error.find("page 1 extends past the end of the file (offset"), std::string::npos) << error;
    writeU64(u.directory, at, ~uint64_t{0} - 3);  // overflow bait
    EXPECT_FALSE(accepted(repack(u), &error));
    EXPECT_NE(error.find("page 1 extends past the end of the file"), std::string::npos) << error;
}

// Every directory byte corrupted behind valid checksums: errors or (for fields with no invariant,
// such as a float) acceptance, but never a crash or an out-of-bounds read.
TEST(PackCorruption, DirectoryMutationsBehindValidChecksums) {
    const auto pack = smallPack();
    const Unpacked original = unpack(pack);
    size_t rejected = 0, total = 0;
    for (size_t at = 0; at < original.directory.size(); ++at) {
        for (const uint8_t flip : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
            Unpacked u = original;
            u.directory[at] ^= flip;
            rejected += accepted(repack(u)) ? 0 : 1;
            ++total;
        }
    }
    std::printf("directory mutations: %zu of %zu rejected\n", rejected, total);
    EXPECT_GT(rejected, total / 4);
}

// Every byte of a page payload corrupted, recompressed, appended, with the page record and all
// checksums fixed up: the codecs and index checks must catch or survive it.
TEST(PackCorruption, PagePayloadMutationsBehindValidChecksums) {
    const auto pack = smallPack();
    auto source = memorySource(pack);
    auto reader = PackReader::open(*source, "x");
    ASSERT_TRUE(reader);
    const PageInfo page = reader->pages()[1];
    std::vector<uint8_t> payload(page.uncompressedBytes);
    ASSERT_EQ(ZSTD_decompress(payload.data(), payload.size(), pack.data() + page.offset, page.compressedBytes), payload.size());
    const Unpacked original = unpack(pack);
    size_t recordAt = 0;
    const uint64_t relative = page.offset - reader->dataOffset();
    while (recordAt + 16 <= original.directory.size() &&
           !(readU64(original.directory, recordAt) == relative && readU64(original.directory, recordAt + 16) == page.checksum)) {
        ++recordAt;
    }
    ASSERT_LT(recordAt + 16, original.directory.size());

    size_t rejected = 0, total = 0;
    for (size_t at = 0; at < payload.size(); ++at) {
        for (const uint8_t flip : {uint8_t{0xff}, uint8_t{0x01}}) {
            std::vector<uint8_t> mutated = payload;
            mutated[at] ^= flip;
            std::vector<uint8_t> compressed(ZSTD_compressBound(mutated.size()));
            compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), mutated.data(), mutated.size(), 1));
            Unpacked u = original;
            writeU64(u.directory, recordAt, u.data.size());
            writeU32(u.directory, recordAt + 8, static_cast<uint32_t>(compressed.size()));
            writeU64(u.directory, recordAt + 16, XXH3_64bits(compressed.data(), compressed.size()));
            u.data.insert(u.data.end(), compressed.begin(), compressed.end());
            rejected += accepted(repack(u)) ? 0 : 1;
            ++total;
        }
    }
    // Flips in quantized attribute bytes decode to other valid values; stream tables and indices do not.
    std::printf("page payload mutations: %zu of %zu rejected\n", rejected, total);
    EXPECT_GT(rejected, 0u);
}

// A pack whose textures (real scan texels) are stored as `encoding`.
std::vector<uint8_t> encodedPack(MipEncoding encoding) {
    PackContents contents = test::makeContents(2);
    const test::RealTexels& real = test::realTexels();
    contents.textures = {test::encodedTexture(test::boxChain(real.color), TextureFormat::Bc1Srgb, encoding),
                         test::encodedTexture(test::boxChain(real.normal), TextureFormat::Bc5Unorm, encoding)};
    auto bytes = encodePack(contents);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : std::vector<uint8_t>{};
}

// The pack with `damage` applied to one mip's stored bytes and that mip's checksum made valid again,
// as a malicious file would be: the damage reaches the decoder.
std::vector<uint8_t> damageMip(std::span<const uint8_t> pack, const PackReader& reader, uint32_t texture, uint32_t level,
                               const std::function<void(std::span<uint8_t>)>& damage) {
    Unpacked u = unpack(pack);
    const MipInfo& mip = reader.mip(texture, level);
    const uint64_t relative = mip.offset - reader.dataOffset();
    size_t recordAt = 0;
    while (recordAt + 24 <= u.directory.size() &&
           !(readU64(u.directory, recordAt) == relative && readU64(u.directory, recordAt + 16) == mip.checksum)) {
        ++recordAt;
    }
    EXPECT_LT(recordAt + 24, u.directory.size());
    const std::span<uint8_t> stored(u.data.data() + relative, mip.bytes);
    damage(stored);
    writeU64(u.directory, recordAt + 16, XXH3_64bits(stored.data(), stored.size()));
    return repack(std::move(u));
}

// Damage inside a stored image or zstd frame, behind a valid checksum: an error naming the file byte,
// the texture and the mip, from the reader and from verifyPack.
TEST(PackCorruption, DamagedImageMipsNameTheByteAndTheMip) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    for (const MipEncoding encoding : {MipEncoding::Jpeg, MipEncoding::Webp, MipEncoding::Zstd}) {
        SCOPED_TRACE(std::string(mipEncodingName(encoding)));
        const std::vector<uint8_t> pack = encodedPack(encoding);
        auto source = memorySource(pack);
        auto reader = PackReader::open(*source, "damaged.vpk");
        ASSERT_TRUE(reader) << reader.error().message;
        const uint32_t texture = 1, level = 0;
        const MipInfo& mip = reader->mip(texture, level);
        ASSERT_EQ(mip.encoding, encoding);
        const size_t middle = mip.bytes / 2;
        const std::vector<uint8_t> damaged = damageMip(pack, *reader, texture, level, [&](std::span<uint8_t> stored) {
            if (encoding == MipEncoding::Jpeg) {
                // An end-of-image marker in the middle of the entropy-coded data.
                stored[middle] = 0xff;
                stored[middle + 1] = 0xd9;
            } else if (encoding == MipEncoding::Webp) {
                // The VP8 frame header (RIFF 12 bytes, chunk header 8, frame tag 3): the key frame's start code.
                stored[23] ^= 0xff;
            } else {
                for (size_t i = middle; i < middle + 16; ++i) stored[i] ^= 0x5a;
            }
        });
        auto damagedSource = memorySource(damaged);
        auto damagedReader = PackReader::open(*damagedSource, "damaged.vpk");
        ASSERT_TRUE(damagedReader) << damagedReader.error().message;
        auto blocks = damagedReader->readTextureMip(texture, level);
        ASSERT_FALSE(blocks) << "the damaged mip decoded";
        const std::string& message = blocks.error().message;
        const MipInfo& stored = damagedReader->mip(texture, level);
        EXPECT_NE(message.find(std::format("{} bytes from byte {}): stream byte ", stored.bytes, stored.offset)), std::string::npos)
            << message;
        if (encoding == MipEncoding::Jpeg) {
            // libjpeg reads ahead a little, so the byte named is at or just after the damage.
            const size_t named = std::stoull(message.substr(message.find("byte ") + 5));
            EXPECT_GE(named, stored.offset + middle) << message;
            EXPECT_LE(named, stored.offset + middle + 64) << message;
        }
        EXPECT_NE(message.find(std::format("texture {} mip {} ({}", texture, level, mipEncodingName(encoding))), std::string::npos)
            << message;
        EXPECT_NE(message.find("stream byte"), std::string::npos) << message;
        if (encoding == MipEncoding::Jpeg) {
            EXPECT_NE(message.find("the JPEG stream is corrupt"), std::string::npos) << message;
        }
        std::vector<PackReader::MipRef> wanted{{0, 2}, {texture, level}};
        auto streamed = damagedReader->readTextureMips(*damagedSource, wanted);
        ASSERT_FALSE(streamed);
        EXPECT_EQ(streamed.error().message, message);
        const VerifyReport report = verifyPack(*damagedReader);
        EXPECT_FALSE(report.ok());
    }
}

// Every single-byte flip of small stored images, straight into the decoder: an error or blocks of
// the right size, never a crash or an out-of-bounds access (ASan/UBSan in the sanitized CI leg).
TEST(PackCorruption, EveryByteFlipInsideStoredImagesIsSafe) {
    const test::RealTexels& real = test::realTexels();
    ASSERT_FALSE(real.color.rgba.empty()) << real.error;
    const asset::Image level = test::boxChain(real.color)[3];  // 32x32
    for (const MipEncoding encoding : {MipEncoding::Jpeg, MipEncoding::Webp, MipEncoding::Zstd}) {
        const std::vector<uint8_t> stored = test::encodedTexture({level}, TextureFormat::Bc1Srgb, encoding).mips[0];
        size_t rejected = 0, total = 0;
        std::vector<uint8_t> mutant = stored;
        for (size_t at = 0; at < stored.size(); ++at) {
            for (const uint8_t flip : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
                mutant[at] = static_cast<uint8_t>(stored[at] ^ flip);
                auto blocks = decodeStoredMip(encoding, mutant, TextureFormat::Bc1Srgb, level.width, level.height);
                if (blocks) {
                    ASSERT_EQ(blocks->size(), mipByteSize(TextureFormat::Bc1Srgb, level.width, level.height));
                } else {
                    ASSERT_LE(blocks.error().streamByte, stored.size()) << "flip at " << at;
                    ++rejected;
                }
                ++total;
            }
            mutant[at] = stored[at];
        }
        // zstd's content checksum catches every flip; JPEG and WebP entropy-coded data decodes to other texels.
        std::printf("%s: %zu of %zu byte flips rejected\n", std::string(mipEncodingName(encoding)).c_str(), rejected, total);
        EXPECT_GT(rejected, 0u);
        for (size_t length = 0; length < stored.size(); ++length) {
            ASSERT_FALSE(decodeStoredMip(encoding, std::span(stored).first(length), TextureFormat::Bc1Srgb, level.width, level.height))
                << mipEncodingName(encoding) << " prefix of " << length << " bytes accepted";
        }
    }
}

}  // namespace
}  // namespace vt::pack
