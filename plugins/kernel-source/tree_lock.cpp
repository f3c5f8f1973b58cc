#include "tree_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "berth/sdk/error.hpp"

namespace berth::kernel_source {

TreeLock::TreeLock(const std::filesystem::path& file) {
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw sdk::Error("cannot open " + file.string() + ": " + std::strerror(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const int error = errno;
      ::close(fd_);
      throw sdk::Error("cannot lock " + file.string() + ": " + std::strerror(error));
    }
  }
}

TreeLock::~TreeLock() {
  ::close(fd_);
}

}  // namespace berth::kernel_source
