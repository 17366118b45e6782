// golden_check ACTUAL.png NAME: compares a PNG written by a command-line run (`vitrine render`)
// with tests/goldens/NAME.png under the same rule as the in-process golden tests, so the CLI's
// pictures are checked for content, not only for being PNG files. VITRINE_UPDATE_GOLDENS=1
// rewrites the golden. Exit 0 when it matches, 1 when not (with the reason), 2 on bad use.
#include <cstdio>

#include "asset/image_io.h"
#include "golden.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: golden_check ACTUAL.png GOLDEN_NAME\n");
        return 2;
    }
    auto actual = vt::asset::readImage(argv[1]);
    if (!actual) {
        std::fprintf(stderr, "golden_check: %s\n", actual.error().message.c_str());
        return 1;
    }
    const vt::test::GoldenResult result = vt::test::compareWithGolden(*actual, argv[2]);
    std::printf("golden_check: %s\n", result.message.c_str());
    return result.passed ? 0 : 1;
}
