#pragma once
// An exclusive lock on a file (flock), held for the object's lifetime. ctest runs test processes in
// parallel, and several of them may find a shared fixture (a pack converted into the build folder)
// missing at once: under this lock one converts it and the others then find it done, instead of
// each converting it again and renaming its copy over a file another process is already serving
// (nginx's ETag names the file's mtime, so a replaced pack reads as "changed on the server").

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace vt::test {

class FileLock {
public:
    explicit FileLock(const std::filesystem::path& path) {
        std::error_code ignored;
        std::filesystem::create_directories(path.parent_path(), ignored);
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) return;  // no lock: the caller still works, only without protection
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    // Unlocked explicitly: children forked while it was held (importers) share the descriptor.
    ~FileLock() {
        if (fd_ < 0) return;
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace vt::test
