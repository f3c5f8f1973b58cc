// The download cache both bootstrap plugins share, under <cache>/bootstrap/:
//   archives/<apt file name>.deb  every package a bootstrap extracted (apt's own names,
//                                 so a file name means one package version)
//   sets/<key>.list               the file names the last bootstrap of one set of inputs
//                                 (packages, sources, pins) used
//   contents/<apt file name>      name, version and paths of that .deb (deb_file.hpp),
//                                 so a warm rebuild decompresses nothing
// Before a bootstrap the files of its set are linked into the rootfs's apt archive
// directory, where apt finds them already downloaded. Only the set is linked, not the
// whole pool: multistrap unpacks every .deb it finds there.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "deb_file.hpp"

namespace berth::bootstrap {

namespace fs = std::filesystem;

class PackageCache {
 public:
  explicit PackageCache(const fs::path& root);

  // The file names the last bootstrap of set `key` used; empty when unknown.
  std::vector<std::string> remembered(const std::string& key) const;

  // Links those of `file_names` the pool holds into `archives`; returns the names it
  // linked.
  std::vector<std::string> seed(const std::vector<std::string>& file_names,
                                const fs::path& archives) const;

  // Puts `deb` into the pool (unless a file of that name is there) and returns the
  // pool's path for it.
  fs::path keep(const fs::path& deb) const;

  // Records the file names of set `key` for the next bootstrap.
  void remember(const std::string& key, const std::vector<std::string>& file_names) const;

  // What read_deb() found in the .deb of that file name, when recorded before.
  std::optional<DebContents> contents(const std::string& file_name) const;
  void remember_contents(const std::string& file_name, const DebContents& contents) const;

  const fs::path& archives() const { return archives_; }

 private:
  fs::path archives_;
  fs::path sets_;
  fs::path contents_;
};

}  // namespace berth::bootstrap
