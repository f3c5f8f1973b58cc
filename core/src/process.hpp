// Runs external programs without a shell, with a controlled environment.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::core {

struct ProcessRequest {
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  std::map<std::string, std::string> env;  // the complete environment
  bool capture = false;                    // keep stdout instead of passing it to on_line
};

struct ProcessResult {
  int exit_code = 0;        // 128+N when killed by signal N
  std::string output;       // stdout, when captured
  std::string stderr_tail;  // the last lines of stderr, for error messages
};

// Every line the program prints (stdout unless captured, and stderr) goes to on_line.
ProcessResult run_process(const ProcessRequest& request,
                          const std::function<void(const std::string&)>& on_line);

// The environment builds run with: a fixed PATH and locale, SOURCE_DATE_EPOCH, nothing
// from the user's shell that could change a tool's output.
std::map<std::string, std::string> build_environment(std::int64_t source_date_epoch);

// "prog arg1 'arg with space'" for logs and error messages.
std::string quote_command(const std::vector<std::string>& argv);

}  // namespace berth::core
