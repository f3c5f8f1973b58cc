// Downloads Debian packages from the configured sources with the host's apt, but with
// a private configuration: the host's own sources, pins and dpkg database play no part.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::core {

namespace fs = std::filesystem;

// Runs a command (argv) in a directory (empty: anywhere) and returns its stdout;
// supplied by the build context.
using CommandRunner =
    std::function<std::string(const std::vector<std::string>&, const fs::path& cwd)>;

class AptFetcher {
 public:
  AptFetcher(sdk::DebianSources sources, fs::path cache_dir, CommandRunner run);

  std::vector<sdk::FetchedPackage> fetch(const std::vector<std::string>& names,
                                         bool with_dependencies);

  // The apt options that make apt use only our files; exposed for tests.
  std::vector<std::string> apt_options() const;
  // sources.list and preferences text; exposed for tests.
  static std::string sources_list(const sdk::DebianSources& sources);
  static std::string preferences(const sdk::DebianSources& sources);
  // "'URI' name_1%3a2.0_amd64.deb SIZE SHA256:..." -> file name and (name, version).
  static sdk::FetchedPackage parse_uri_line(const std::string& line);
  // `apt-get -s install` output -> "name=version" for every package it would unpack.
  static std::vector<std::string> parse_simulation(const std::string& output);

 private:
  void prepare();
  void update_lists();

  sdk::DebianSources sources_;
  fs::path root_;  // <cache>/apt/<hash of the sources>
  fs::path archives_;
  CommandRunner run_;
  bool updated_ = false;
};

}  // namespace berth::core
