#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>

#include "berth/sdk/error.hpp"
#include "unique_fd.hpp"

namespace berth::core {
namespace {

// A pipe whose ends close themselves.
class Pipe {
 public:
  Pipe() {
    std::array<int, 2> fds{-1, -1};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
      throw sdk::Error(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    read_.reset(fds[0]);
    write_.reset(fds[1]);
  }
  int read_end() const { return read_.get(); }
  int write_end() const { return write_.get(); }
  void close_read() { read_.reset(); }
  void close_write() { write_.reset(); }

 private:
  UniqueFd read_, write_;
};

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Splits a stream into lines as bytes arrive.
struct LineBuffer {
  std::string pending;
  template <typename Sink>
  void feed(const char* data, std::size_t size, Sink&& sink) {
    pending.append(data, size);
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      sink(pending.substr(start, nl - start));
    }
    pending.erase(0, start);
  }
  template <typename Sink>
  void flush(Sink&& sink) {
    if (!pending.empty()) sink(pending);
    pending.clear();
  }
};

}  // namespace

std::string quote_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t'\"$\\*?;&|<>()") == std::string::npos;
    out += plain ? arg : "'" + arg + "'";
  }
  return out;
}

std::map<std::string, std::string> build_environment(std::int64_t source_date_epoch) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
      {"LC_ALL", "C.UTF-8"},
      {"TZ", "UTC"},
      {"SOURCE_DATE_EPOCH", std::to_string(source_date_epoch)},
      {"DEBIAN_FRONTEND", "noninteractive"},
  };
  for (const char* keep : {"HOME", "TMPDIR", "http_proxy", "https_proxy", "no_proxy"}) {
    if (const char* value = std::getenv(keep)) env[keep] = value;
  }
  return env;
}

ProcessResult run_process(const ProcessRequest& request,
                          const std::function<void(const std::string&)>& on_line) {
  if (request.argv.empty()) throw sdk::Error("run: empty command");
  Pipe out;
  Pipe err;
  SpawnActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), out.write_end(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), err.write_end(), STDERR_FILENO);
  if (!request.cwd.empty()) {
    // glibc 2.29+ has this as a non-portable extension; Debian 12 has 2.36.
    posix_spawn_file_actions_addchdir_np(actions.get(), request.cwd.c_str());
  }

  std::vector<std::string> env_strings;
  for (const auto& [key, value] : request.env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = request.argv;
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // posix_spawnp searches the PATH of the *calling* process; resolve with ours instead.
  std::string program = request.argv.front();
  if (program.find('/') == std::string::npos) {
    const auto path =
        request.env.count("PATH") ? request.env.at("PATH") : std::string("/usr/bin:/bin");
    std::size_t start = 0;
    std::string found;
    while (found.empty() && start <= path.size()) {
      const std::size_t end = std::min(path.find(':', start), path.size());
      const std::string candidate = path.substr(start, end - start) + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) found = candidate;
      start = end + 1;
    }
    if (found.empty())
      throw sdk::Error(program + ": command not found (is its package installed?)");
    program = found;
  }

  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, program.c_str(), actions.get(), nullptr, argv.data(), envp.data());
  if (spawn_error != 0) {
    throw sdk::Error("cannot run " + request.argv.front() + ": " + std::strerror(spawn_error));
  }
  out.close_write();
  err.close_write();

  ProcessResult result;
  std::deque<std::string> tail;
  LineBuffer out_lines;
  LineBuffer err_lines;
  auto on_stdout = [&](const std::string& line) {
    if (request.capture) {
      result.output += line + "\n";
    } else {
      on_line(line);
    }
  };
  auto on_stderr = [&](const std::string& line) {
    tail.push_back(line);
    if (tail.size() > 5) tail.pop_front();
    on_line(line);
  };
  std::array<pollfd, 2> fds = {{{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}}};
  std::array<char, 65536> buffer{};
  int open_streams = 2;
  while (open_streams > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        if (i == 0)
          out_lines.feed(buffer.data(), static_cast<std::size_t>(n), on_stdout);
        else
          err_lines.feed(buffer.data(), static_cast<std::size_t>(n), on_stderr);
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  out_lines.flush(on_stdout);
  err_lines.flush(on_stderr);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  for (const auto& line : tail)
    result.stderr_tail += (result.stderr_tail.empty() ? "" : " | ") + line;
  return result;
}

}  // namespace berth::core
