// What a build did: stage timings, sizes, strip results and the package manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::core {

class BuildReport {
 public:
  void add_timing(const std::string& stage, const std::string& hook, double seconds);
  void add_size(const std::string& component, std::uint64_t bytes);
  void add_removed(const std::string& rule, std::uint64_t files, std::uint64_t bytes);
  void add_packages(const std::vector<sdk::FetchedPackage>& packages);

  // manifest.txt: "name version", one package a line, sorted.
  std::string manifest() const;
  // build-report.txt: tab-separated records (kind, fields...) after a comment header,
  // easy for people to read and for `make bench` to parse.
  std::string text(const std::map<std::string, std::uint64_t>& output_files) const;
  // A few lines for the end of the build log.
  std::vector<std::string> summary() const;

 private:
  struct Timing {
    std::string stage;
    std::string hook;
    double seconds;
  };
  struct Removed {
    std::uint64_t files;
    std::uint64_t bytes;
  };
  std::vector<Timing> timings_;
  std::vector<std::pair<std::string, std::uint64_t>> sizes_;
  std::map<std::string, Removed> removed_;
  std::map<std::string, std::string> packages_;
};

}  // namespace berth::core
