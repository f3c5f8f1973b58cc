// flock(2) on a file for the lifetime of an object: one build at a time in a directory of
// the cache that builds share (a build chroot's /build, a result being written).
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// Waits for the lock; Error naming the file when it cannot be opened or locked. The
// kernel drops the lock with the descriptor, also when the build is killed.
class ExclusiveLock {
 public:
  explicit ExclusiveLock(const std::filesystem::path& file)
      : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      const std::string reason = std::strerror(errno);
      if (fd_ >= 0) ::close(fd_);
      throw Error("cannot lock " + file.string() + ": " + reason);
    }
  }
  ~ExclusiveLock() { ::close(fd_); }
  ExclusiveLock(const ExclusiveLock&) = delete;
  ExclusiveLock& operator=(const ExclusiveLock&) = delete;

 private:
  int fd_;
};

}  // namespace berth::sdk
