#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <berth/sdk/error.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

namespace berth::vm {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& stderr_file) {
  if (argv.empty()) throw sdk::Error("child process: empty command line");
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw sdk::Error("socketpair: " + errno_text());
  }
  io_.reset(pair[0]);
  UniqueFd child_end(pair[1]);
  UniqueFd err(::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (err.get() < 0) throw sdk::Error(stderr_file.string() + ": " + errno_text());

  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ < 0) throw sdk::Error("fork: " + errno_text());
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    if (::dup2(child_end.get(), 0) < 0 || ::dup2(child_end.get(), 1) < 0 ||
        ::dup2(err.get(), 2) < 0) {
      ::_exit(127);
    }
    ::execvp(args[0], args.data());
    static constexpr char kMsg[] = "exec failed\n";
    [[maybe_unused]] const auto ignored = ::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) terminate();
}

bool ChildProcess::read(std::string& out, std::chrono::milliseconds wait) {
  pollfd pfd{io_.get(), POLLIN, 0};
  const int ready = ::poll(&pfd, 1, static_cast<int>(wait.count()));
  if (ready < 0) {
    if (errno == EINTR) return true;
    throw sdk::Error("poll: " + errno_text());
  }
  if (ready == 0) return true;
  char buffer[16 * 1024];
  const ssize_t n = ::recv(io_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return true;
    if (errno == ECONNRESET) return false;
    throw sdk::Error("read from child: " + errno_text());
  }
  if (n == 0) return false;
  out.append(buffer, static_cast<size_t>(n));
  return true;
}

void ChildProcess::write(std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a dead child is an error to report, not a SIGPIPE that kills the test.
    const ssize_t n = ::send(io_.get(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw sdk::Error("write to child " + std::to_string(pid_) + ": " + errno_text());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::optional<int> ChildProcess::poll_exit() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) status_ = decode_status(status);
  return status_;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!poll_exit()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

int ChildProcess::terminate() {
  if (poll_exit()) return *status_;
  ::kill(pid_, SIGTERM);
  if (wait_exit(std::chrono::seconds(5))) return *status_;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = decode_status(status);
  return *status_;
}

}  // namespace berth::vm
