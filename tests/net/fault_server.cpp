#include "fault_server.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <format>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vt::net::test {
namespace {

bool sendAll(int fd, const void* data, size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t sent = ::send(fd, bytes, size, MSG_NOSIGNAL);
        if (sent <= 0) return false;
        bytes += sent;
        size -= static_cast<size_t>(sent);
    }
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

FaultServer::FaultServer(std::vector<uint8_t> content) : content_(std::move(content)) {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // the kernel picks a free port
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listenFd_, 64) != 0) {
        std::perror("FaultServer: bind/listen");
        return;
    }
    socklen_t length = sizeof address;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

FaultServer::~FaultServer() {
    stopping_ = true;
    // shutdown() wakes the blocked accept() and recv() calls; the fds are closed by their owners.
    ::shutdown(listenFd_, SHUT_RDWR);
    {
        std::lock_guard lock(mutex_);
        for (const int fd : clientFds_) ::shutdown(fd, SHUT_RDWR);
    }
    stopped_.notify_all();
    if (acceptor_.joinable()) acceptor_.join();
    for (auto& worker : workers_) worker.join();
    ::close(listenFd_);
}

void FaultServer::setFault(Fault fault, int count) {
    std::lock_guard lock(mutex_);
    fault_ = fault;
    faultCount_ = count;
}

std::vector<std::string> FaultServer::ranges() {
    std::lock_guard lock(mutex_);
    return ranges_;
}

bool FaultServer::takeFault(Fault fault, bool isHead) {
    std::lock_guard lock(mutex_);
    if (fault_ != fault || faultCount_ == 0) return false;
    if (isHead && fault != Fault::NotFound) return false;
    if (faultCount_ > 0) --faultCount_;
    return true;
}

void FaultServer::acceptLoop() {
    while (!stopping_) {
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (stopping_) return;
            continue;
        }
        connections_.fetch_add(1);
        std::lock_guard lock(mutex_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        clientFds_.push_back(fd);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void FaultServer::serve(int fd) {
    std::string buffer;
    char chunk[4096];
    bool open = true;
    while (open && !stopping_) {
        size_t end;
        while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
            const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got <= 0) {
                open = false;
                break;
            }
            buffer.append(chunk, static_cast<size_t>(got));
        }
        if (!open) break;
        const std::string request = buffer.substr(0, end + 4);
        buffer.erase(0, end + 4);
        requests_.fetch_add(1);

        const bool isHead = request.starts_with("HEAD ");
        if (isHead) heads_.fetch_add(1);
        const std::string lowered = lower(request);
        bool ranged = false;
        uint64_t first = 0, last = 0;
        if (const size_t at = lowered.find("\r\nrange: bytes="); at != std::string::npos) {
            ranged = std::sscanf(lowered.c_str() + at + 15, "%lu-%lu", &first, &last) == 2;
        }
        if (!isHead) {
            std::lock_guard lock(mutex_);
            ranges_.push_back(ranged ? std::format("{}-{}", first, last) : "");
        }

        std::vector<uint8_t> body = content_;
        std::string etag = "\"v1\"";
        if (takeFault(Fault::ChangeSize, isHead)) body.resize(body.size() + 100, 0);
        if (takeFault(Fault::ChangeEtag, isHead)) etag = "\"v2\"";
        const uint64_t total = body.size();

        auto answer = [&](std::string head, std::string_view payload) {
            head += "\r\n";
            open = sendAll(fd, head.data(), head.size()) && (payload.empty() || sendAll(fd, payload.data(), payload.size()));
        };
        if (takeFault(Fault::NotFound, isHead)) {
            answer("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n", isHead ? "" : "not found");
            continue;
        }
        if (isHead) {
            answer(std::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {}\r\nAccept-Ranges: bytes\r\n", total, etag),
                   "");
            continue;
        }
        if (takeFault(Fault::ServerError, isHead)) {
            answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n", "oops\n");
            continue;
        }
        if (takeFault(Fault::TooManyRequests, isHead)) {
            answer("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n", "");
            continue;
        }
        if (takeFault(Fault::Stall, isHead)) {
            std::unique_lock lock(mutex_);
            stopped_.wait(lock, [&] { return stopping_.load(); });
            break;
        }
        const bool ignoreRange = takeFault(Fault::IgnoreRange, isHead);
        if (!ranged || ignoreRange) {
            answer(std::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {}\r\n", total, etag),
                   std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
            continue;
        }
        // As nginx does: a range past the end ends at the last byte; one starting past it is refused.
        last = std::min(last, total == 0 ? 0 : total - 1);
        if (first > last || first >= total) {
            answer(std::format("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{}\r\nContent-Length: 0\r\n",
                               total),
                   "");
            continue;
        }
        const std::string_view slice(reinterpret_cast<const char*>(body.data()) + first, last - first + 1);
        uint64_t namedFirst = first, namedLast = last;
        if (takeFault(Fault::WrongContentRange, isHead) && last + 1 < total) ++namedFirst, ++namedLast;
        const std::string head = std::format(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {}-{}/{}\r\nContent-Length: {}\r\nETag: {}\r\n",
            namedFirst, namedLast, total, slice.size(), etag);
        if (takeFault(Fault::CloseMidBody, isHead)) {
            const std::string headEnd = head + "\r\n";
            sendAll(fd, headEnd.data(), headEnd.size());
            sendAll(fd, slice.data(), slice.size() / 2);
            break;
        }
        answer(head, slice);
    }
    {
        std::lock_guard lock(mutex_);
        std::erase(clientFds_, fd);
    }
    ::close(fd);
}

}  // namespace vt::net::test
