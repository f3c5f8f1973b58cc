// A child process whose stdin and stdout are one end of a socket pair held by the parent, and
// whose stderr goes to a file. The VM harness runs qemu this way with its serial port on stdio:
// nothing the guest prints before we read is lost (qemu only runs once it has a reader), and
// no socket path can race with another test. The child is killed when the object dies, and
// also if the parent dies first (PR_SET_PDEATHSIG), so a test killed on timeout leaves no qemu.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unique_fd.hpp"

namespace berth::vm {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stderr_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to `wait` for output; appends it to `out`. Returns false at end of file.
  bool read(std::string& out, std::chrono::milliseconds wait);
  // Writes all of `data` to the child's stdin; throws if the child has gone.
  void write(std::string_view data);

  // The exit status (or 128 + signal) once the child has exited, else nothing.
  std::optional<int> poll_exit();
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL if it lingers; returns the exit status.
  int terminate();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  UniqueFd io_;
  std::optional<int> status_;
};

}  // namespace berth::vm
