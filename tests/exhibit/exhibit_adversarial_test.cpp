// The exhibit reader on hostile input, starting from the real sample exhibit: every truncation and a
// sweep of single-byte corruptions, deep nesting, long strings, absurd numbers and invalid UTF-8.
// Never a crash (the ASan leg runs these too); every diagnostic points inside the document; and what
// the reader keeps is valid: written back out, it reads again without a single error.
#include <algorithm>
#include <format>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "exhibit/exhibit.h"

namespace vt::exhibit {
namespace {

std::string sampleExhibit() {
    std::ifstream in(VITRINE_SAMPLE_EXHIBIT_SOURCE, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string all(const ParseResult& r) {
    std::string out;
    for (const Diagnostic& d : r.diagnostics) out += d.format() + "\n";
    return out;
}

// Each diagnostic names a place inside `text` (or none, line 0, for the whole document).
void expectLocationsInside(const ParseResult& r, std::string_view text, const std::string& context) {
    const size_t lines = size_t(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const Diagnostic& d : r.diagnostics) {
        EXPECT_LE(d.line, lines) << context << ": " << d.format();
        if (d.line > 0) {
            EXPECT_GE(d.column, 1u) << context << ": " << d.format();
        }
        EXPECT_FALSE(d.message.empty()) << context;
    }
}

// What the reader kept is a valid exhibit: its references hold and it round-trips with no errors.
void expectKeptIsValid(const ParseResult& r, const std::string& context) {
    if (!r.usable) return;
    const Exhibit& e = r.exhibit;
    for (const Artifact& a : e.artifacts) {
        EXPECT_FALSE(a.id.empty()) << context;
        EXPECT_FALSE(a.pack.empty()) << context << ": artifact " << a.id;
        if (!a.room.empty()) {
            EXPECT_NE(e.findRoom(a.room), nullptr) << context << ": artifact " << a.id;
        }
    }
    for (const TourStop& s : e.tour.stops) {
        if (!s.artifact.empty()) {
            EXPECT_NE(e.findArtifact(s.artifact), nullptr) << context;
        }
    }
    // Read again, it brings no new error: only a whole-document one the first reading reported too
    // (such as "no usable room", when every room was bad).
    const ParseResult again = parseExhibit(toJson(e), "again.json");
    EXPECT_TRUE(again.usable) << context;
    for (const Diagnostic& d : again.diagnostics) {
        if (d.severity != Severity::Error) continue;
        const bool reportedBefore = std::ranges::any_of(r.diagnostics, [&](const Diagnostic& first) {
            return first.message == d.message;
        });
        EXPECT_TRUE(reportedBefore) << context << ": new on reading the kept exhibit again: " << d.format() << "\nfirst:\n"
                                    << all(r);
    }
}

TEST(ExhibitAdversarial, EveryTruncationOfTheSampleIsOneClearError) {
    const std::string text = sampleExhibit();
    ASSERT_GT(text.size(), 1000u) << VITRINE_SAMPLE_EXHIBIT_SOURCE;
    const size_t lastBrace = text.find_last_of('}');
    for (size_t n = 0; n <= lastBrace; n += 3) {
        const std::string_view cut = std::string_view(text).substr(0, n);
        const ParseResult r = parseExhibit(cut, "cut.json");
        const std::string context = std::format("cut at byte {}", n);
        EXPECT_FALSE(r.usable) << context;  // a cut JSON document never parses
        ASSERT_EQ(r.diagnostics.size(), 1u) << context << "\n" << all(r);
        EXPECT_NE(r.diagnostics[0].format().find("cut.json:"), std::string::npos) << context;
        expectLocationsInside(r, cut, context);
    }
}

TEST(ExhibitAdversarial, ByteCorruptionsOfTheSampleKeepOnlyValidContent) {
    const std::string text = sampleExhibit();
    size_t usable = 0, withErrors = 0;
    size_t copies = 0;
    for (size_t i = 0; i < text.size(); i += 3) {
        for (const char replacement : {char(text[i] ^ 0x5A), '"', '\0', '\xff'}) {
            ++copies;
            std::string bad = text;
            bad[i] = replacement;
            const ParseResult r = parseExhibit(bad, "bad.json");
            const std::string context = std::format("byte {} set to 0x{:02x}", i, uint8_t(replacement));
            expectLocationsInside(r, bad, context);
            expectKeptIsValid(r, context);
            usable += r.usable;
            withErrors += r.errorCount() > 0;
        }
    }
    std::printf("%zu corrupted copies: %zu still usable, %zu with errors reported\n", copies, usable, withErrors);
    EXPECT_GT(usable, 0u);
    EXPECT_GT(withErrors, 0u);
}

TEST(ExhibitAdversarial, DeepNestingIsAnErrorNotAStackOverflow) {
    for (const char* open : {"[", "{\"a\":"}) {
        std::string deep = "{\"rooms\": ";
        for (int i = 0; i < 200000; ++i) deep += open;
        const ParseResult r = parseExhibit(deep, "deep.json");
        EXPECT_FALSE(r.usable);
        ASSERT_EQ(r.diagnostics.size(), 1u) << all(r);
        EXPECT_NE(r.diagnostics[0].format().find("deep.json:1:"), std::string::npos) << all(r);
        EXPECT_NE(r.diagnostics[0].message.find("nested deeper than 256 levels"), std::string::npos) << all(r);
    }
    // Deep but complete: valid JSON, not a valid exhibit.
    std::string nested = R"({"rooms": [{"id": "r", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]]}], "title": )";
    for (int i = 0; i < 100000; ++i) nested += "[";
    for (int i = 0; i < 100000; ++i) nested += "]";
    nested += "}";
    const ParseResult r = parseExhibit(nested, "nested.json");
    EXPECT_FALSE(r.usable);
    EXPECT_EQ(r.errorCount(), 1u) << all(r);
    // Deep within the limit: read, and the bad title reported without printing all of it.
    std::string within = R"({"rooms": [{"id": "r", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]]}], "title": )";
    within += std::string(250, '[') + std::string(250, ']') + "}";
    const ParseResult w = parseExhibit(within, "within.json");
    EXPECT_TRUE(w.usable);
    EXPECT_EQ(w.errorCount(), 1u) << all(w);
    expectKeptIsValid(w, "nested title");
}

TEST(ExhibitAdversarial, LongStringsAbsurdNumbersAndInvalidUtf8) {
    const std::string room = R"({"id": "r", "floor": [[0, 0], [4, 0], [4, 4], [0, 4]]})";
    // Text up to 64 KiB is kept; a 1 MiB description, a 100 kB id and a 1 MiB pack path are reported
    // and left out, with what they belong to; the rest is read.
    const std::string longTitle = std::string(60000, 'x');
    ParseResult r = parseExhibit(std::format(R"({{"rooms": [{}], "title": "{}", "description": "{}", "artifacts": [
        {{"id": "{}", "pack": "a.vpk", "position": [1, 1]}},
        {{"id": "b", "pack": "{}.vpk", "position": [2, 2]}},
        {{"id": "c", "pack": "c.vpk", "position": [3, 3]}}]}})",
                                             room, longTitle, std::string(1 << 20, 'd'), std::string(100000, 'i'),
                                             std::string(1 << 20, 'p')),
                                 "long.json");
    EXPECT_TRUE(r.usable);
    EXPECT_EQ(r.exhibit.title.get("en").size(), longTitle.size());
    EXPECT_TRUE(r.exhibit.description.empty());
    ASSERT_EQ(r.exhibit.artifacts.size(), 1u) << all(r);
    EXPECT_EQ(r.exhibit.artifacts[0].id, "c");
    EXPECT_EQ(r.errorCount(), 3u + 2u) << all(r);  // the three values, and the two artifacts skipped
    expectKeptIsValid(r, "long strings");

    for (const char* number : {"1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-0", "0.0000001"}) {
        const std::string text = std::format(R"({{"rooms": [{}], "eyeHeight": {}, "artifacts": [
            {{"id": "a", "pack": "a.vpk", "position": [{}, 1], "scale": {}}}]}})",
                                             room, number, number, number);
        r = parseExhibit(text, "numbers.json");
        expectLocationsInside(r, text, number);
        expectKeptIsValid(r, number);
        if (std::string_view(number).ends_with("e400")) {  // beyond a double: the document is refused, at the number
            EXPECT_FALSE(r.usable) << number;
            ASSERT_EQ(r.diagnostics.size(), 1u) << all(r);
            EXPECT_EQ(r.diagnostics[0].line, 1u) << all(r);
            EXPECT_EQ(r.diagnostics[0].column, uint32_t(text.find(number) + 1)) << all(r);
        }
    }

    // Invalid UTF-8 inside a string: nlohmann refuses the document; the error says where.
    std::string invalid = std::format(R"({{"rooms": [{}], "title": "bad \xc3\x28 text"}})", room);
    r = parseExhibit(invalid, "utf8.json");
    EXPECT_FALSE(r.usable);
    ASSERT_EQ(r.diagnostics.size(), 1u) << all(r);
    EXPECT_EQ(r.diagnostics[0].line, 1u) << all(r);

    // Thousands of duplicate keys: each reported, the document still read.
    std::string duplicates = std::format(R"({{"rooms": [{}])", room);
    for (int i = 0; i < 5000; ++i) duplicates += R"(, "title": "t")";
    duplicates += "}";
    r = parseExhibit(duplicates, "dup.json");
    EXPECT_TRUE(r.usable);
    EXPECT_GE(r.diagnostics.size(), 1u);
    expectKeptIsValid(r, "duplicates");
}

}  // namespace
}  // namespace vt::exhibit
