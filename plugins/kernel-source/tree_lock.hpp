// An exclusive flock(2) on a file, held for the object's lifetime: two builds sharing a
// source tree take turns (its build directory holds one .config at a time).
#pragma once

#include <filesystem>

namespace berth::kernel_source {

class TreeLock {
 public:
  explicit TreeLock(const std::filesystem::path& file);  // waits for the lock
  ~TreeLock();
  TreeLock(const TreeLock&) = delete;
  TreeLock& operator=(const TreeLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace berth::kernel_source
