// The bootstrap stage both plugins run; only the tool that downloads and unpacks the
// packages differs. Order of work:
//   1. read and check the request (packages, [debian]), check the tool is installed
//   2. keep the rootfs if the reuse stamp matches (see reuse_stamp.hpp), done
//   3. empty the rootfs, link the cached .debs of this request into its apt archive
//   4. let the tool resolve (apt, with the pins) and unpack, no maintainer scripts
//   5. read every extracted .deb: name, version, paths; move new ones to the cache
//   6. finish the rootfs (rootfs_layout.hpp), record the packages, write packages.txt
//   7. write the stamp
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"

namespace berth::bootstrap {

namespace fs = std::filesystem;

// Everything a tool needs for one run.
struct ToolRun {
  fs::path rootfs;       // empty but for the seeded apt archive
  fs::path work_dir;     // the plugin's scratch directory, for config files and logs
  fs::path preferences;  // apt_preferences(5) file with the [debian] pins
  std::vector<std::string> packages;
  sdk::DebianSources debian;
  std::vector<std::string> seeded;  // .deb file names linked from the cache beforehand
};

// The tool unpacked seeded packages apt did not select: the archive moved on since the
// cached set was recorded (a new version, a dropped dependency). The runner keeps what
// was downloaded, empties the rootfs and runs again seeded with exactly `wanted`.
class SeedMismatch : public sdk::Error {
 public:
  SeedMismatch(const std::string& message, std::vector<std::string> wanted)
      : sdk::Error(message), wanted_(std::move(wanted)) {}
  const std::vector<std::string>& wanted() const { return wanted_; }

 private:
  std::vector<std::string> wanted_;  // the .deb file names apt selected
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual std::string name() const = 0;  // "multistrap": in messages and the reuse stamp
  // Throws Error with one line saying what is missing and what to do instead.
  virtual void require_available() const = 0;
  // Resolves and unpacks run.packages into run.rootfs; returns the .deb files it
  // unpacked (they live in rootfs/var/cache/apt/archives).
  virtual std::vector<fs::path> extract(sdk::BuildContext& ctx, const ToolRun& run) = 0;
};

// Where both tools keep their downloads inside the rootfs while they run.
fs::path apt_archives(const fs::path& rootfs);

// The .deb files in a directory, sorted.
std::vector<fs::path> deb_files(const fs::path& dir);

void run_bootstrap(sdk::BuildContext& ctx, Tool& tool);

}  // namespace berth::bootstrap
