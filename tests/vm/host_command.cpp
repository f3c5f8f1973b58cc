#include "host_command.hpp"

#include <berth/sdk/error.hpp>
#include <cstdio>

namespace berth::vm {

std::string host_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw sdk::Error("cannot run: " + command);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  if (::pclose(pipe) != 0) throw sdk::Error("failed: " + command + "\n" + output);
  return output;
}

}  // namespace berth::vm
