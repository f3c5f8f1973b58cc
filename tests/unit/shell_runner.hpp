// Running the target's shell scripts from unit tests: under the host's busybox (the
// target's shell is busybox ash) and dash (the POSIX reference at hand), with extra
// environment variables, capturing stdout and stderr apart.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace berth::test {

struct ScriptOutcome {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out;
  std::string err;
};

// The path of `program` on PATH, or "".
inline std::string find_program(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The argv prefix that runs a script with shell `name` ("busybox" or "dash"); empty when
// the host lacks it.
inline std::vector<std::string> shell_command(const std::string& name) {
  const auto path = find_program(name);
  if (path.empty()) return {};
  if (name == "busybox") return {path, "sh"};
  return {path};
}

// The shells of shell_command() this host has: the parameters of script tests.
inline std::vector<std::string> available_shells() {
  std::vector<std::string> found;
  for (const char* shell : {"busybox", "dash"}) {
    if (!shell_command(shell).empty()) found.emplace_back(shell);
  }
  return found;
}

namespace detail {

inline std::string drain(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace detail

// Runs argv with `env` ("NAME=value") added to this process's environment.
inline ScriptOutcome run_script(const std::vector<std::string>& argv,
                                const std::vector<std::string>& env = {}) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
    posix_spawn_file_actions_addclose(&actions, fd);
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // Shells take the last of two equal names, so the overridden ones are left out.
  std::vector<std::string> environment(env);
  const auto overridden = [&env](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('=') + 1);
    for (const auto& added : env) {
      if (added.compare(0, name.size(), name) == 0) return true;
    }
    return false;
  };
  for (char** entry = environ; *entry; ++entry) {
    if (!overridden(*entry)) environment.emplace_back(*entry);
  }
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ScriptOutcome outcome;
  // Both pipes at once, so a script filling one never waits on the other.
  std::thread err_reader([&] { outcome.err = detail::drain(err_pipe[0]); });
  outcome.out = detail::drain(out_pipe[0]);
  err_reader.join();
  if (spawned != 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

}  // namespace berth::test
