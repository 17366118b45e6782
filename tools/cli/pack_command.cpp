#include "pack_command.h"

#include <cstdio>
#include <memory>

#include "core/log.h"
#include "pack/byte_source.h"
#include "pack/pack_reader.h"
#include "pack/pack_verify.h"

namespace vt::cli {

namespace {

int inspect(const std::string& path) {
    auto source = pack::openFile(path);
    if (!source) {
        log::error("{}", source.error().message);
        return 1;
    }
    auto reader = pack::PackReader::open(**source, path);
    if (!reader) {
        log::error("{}", reader.error().message);
        return 1;
    }
    std::printf("%s", pack::describePack(*reader).c_str());
    return 0;
}

int verify(const std::string& path) {
    auto report = pack::verifyPack(path);
    if (!report) {
        log::error("{}", report.error().message);
        return 1;
    }
    for (const std::string& fault : report->faults) log::error("{}", fault);
    if (!report->ok()) {
        log::error("{}: {} fault(s)", path, report->faults.size());
        return 1;
    }
    std::printf("%s: ok (%u pages decoded, %u texture mips checked, every checksum and invariant holds)\n",
                path.c_str(), report->pagesDecoded, report->mipsChecked);
    return 0;
}

}  // namespace

void addPackCommand(CLI::App& app, int& exitCode) {
    CLI::App* command = app.add_subcommand("pack", "Inspect or verify artifact packs");
    command->require_subcommand(1);
    auto path = std::make_shared<std::string>();
    CLI::App* inspectCommand = command->add_subcommand("inspect", "Print a pack's structure, levels and errors");
    inspectCommand->add_option("file", *path, "artifact pack")->required();
    inspectCommand->callback([path, &exitCode] { exitCode = inspect(*path); });
    CLI::App* verifyCommand =
        command->add_subcommand("verify", "Check every checksum and invariant; non-zero exit on any fault");
    verifyCommand->add_option("file", *path, "artifact pack")->required();
    verifyCommand->callback([path, &exitCode] { exitCode = verify(*path); });
}

}  // namespace vt::cli
