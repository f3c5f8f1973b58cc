// Errors that cross the plugin/core boundary. The core turns every one of them into a
// single line on stderr and a non-zero exit; the message must name the culprit.
#pragma once

#include <stdexcept>
#include <string>

namespace berth::sdk {

// A build step failed (a tool exited non-zero, an input file is missing, ...).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The configuration is wrong. `where` is "file:line" when known.
class ConfigError : public Error {
 public:
  ConfigError(const std::string& where, const std::string& message)
      : Error(where.empty() ? message : where + ": " + message) {}
};

}  // namespace berth::sdk
