// Everything a hook may touch during a build. The core implements this interface; a
// plugin only ever sees the abstract class, so the core can change how it does things
// without rebuilding plugins.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::sdk {

namespace fs = std::filesystem;

enum class LogLevel { debug, info, warn };

struct RunOptions {
  fs::path cwd;                            // empty: the build's work directory
  std::map<std::string, std::string> env;  // added to the core's sanitized environment
  bool check = true;                       // throw Error on a non-zero exit
  bool capture = false;                    // return stdout instead of logging it
};

struct RunResult {
  int exit_code = 0;
  std::string output;  // stdout when RunOptions::capture, else empty
};

enum class Compression { none, gzip, xz, zstd, lz4 };

// One apt source line: deb <uri> <suite> <components...>
struct AptSource {
  std::string uri;
  std::string suite;
  std::vector<std::string> components;
};

// Pin-Priority for packages (or "*") from a release, as in apt_preferences(5).
struct AptPin {
  std::string package;  // a name, a glob or "*"
  std::string release;  // a suite/codename, e.g. "trixie-backports"
  int priority = 500;
};

// The Debian archive every plugin draws from ([debian] in the config).
struct DebianSources {
  std::string suite;         // e.g. "trixie"
  std::string architecture;  // e.g. "amd64"
  std::vector<AptSource> sources;
  std::vector<AptPin> pins;
  fs::path keyring;  // OpenPGP keyring that signs the sources
};

struct FetchedPackage {
  std::string name;
  std::string version;
  fs::path deb;  // in the download cache
};

class BuildContext {
 public:
  virtual ~BuildContext() = default;

  // Directories. All of them exist when a hook runs.
  virtual const fs::path& rootfs() const = 0;          // the target system being built
  virtual const fs::path& initramfs_root() const = 0;  // tree packed into the initrd
  virtual const fs::path& iso_root() const = 0;        // tree packed into the ISO
  virtual const fs::path& output_dir() const = 0;      // staging for out/, moved at the end
  virtual const fs::path& cache_dir() const = 0;       // survives builds (downloads)
  virtual fs::path work_dir() const = 0;               // this plugin's scratch directory
  virtual fs::path data_dir() const = 0;               // this plugin's shipped files
  virtual fs::path config_dir() const = 0;             // relative paths in the config start here

  // This plugin's [section] and the archive every plugin uses.
  virtual const ConfigTable& config() const = 0;
  virtual const DebianSources& debian() const = 0;
  virtual std::string berth_version() const = 0;
  virtual std::int64_t source_date_epoch() const = 0;  // every timestamp in the output

  virtual void log(LogLevel level, const std::string& message) = 0;
  void debug(const std::string& message) { log(LogLevel::debug, message); }
  void info(const std::string& message) { log(LogLevel::info, message); }
  void warn(const std::string& message) { log(LogLevel::warn, message); }

  // Run a program (no shell). Throws Error naming the program on failure when check.
  virtual RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {}) = 0;

  // Download packages from the configured sources into the cache (with their
  // dependencies when `with_dependencies`), honouring the pins.
  virtual std::vector<FetchedPackage> fetch_packages(const std::vector<std::string>& names,
                                                     bool with_dependencies) = 0;
  // Unpack a .deb's data into `target` (like dpkg-deb -x, no maintainer scripts).
  virtual void extract_deb(const fs::path& deb, const fs::path& target) = 0;

  // Archives, sorted and with timestamps clamped to source_date_epoch().
  virtual void write_cpio(const fs::path& tree, const fs::path& archive,
                          Compression compression) = 0;
  virtual void write_tar(const fs::path& tree, const fs::path& archive,
                         Compression compression) = 0;
  // Copy a tree (keeping symlinks and modes) into `target`, creating directories.
  virtual void copy_tree(const fs::path& source, const fs::path& target) = 0;

  // Facts shared between plugins (kernel version, kernel image path, ...).
  virtual void publish(const std::string& key, const std::string& value) = 0;
  virtual std::optional<std::string> lookup(const std::string& key) const = 0;

  // Build report: sizes per component, and what strip rules removed.
  virtual void report_size(const std::string& component, std::uint64_t bytes) = 0;
  virtual void report_removed(const std::string& rule, std::uint64_t files,
                              std::uint64_t bytes) = 0;
  // The packages (name, version) that make up the image, for manifest.txt.
  virtual void record_packages(const std::vector<FetchedPackage>& packages) = 0;
};

// Well-known keys for publish()/lookup().
namespace facts {
inline constexpr const char* kKernelVersion = "kernel.version";  // e.g. 6.12.38+deb13-amd64
inline constexpr const char* kKernelImage = "kernel.image";      // path to vmlinuz
inline constexpr const char* kKernelModules = "kernel.modules";  // tree holding lib/modules/<ver>
inline constexpr const char* kBaseImage = "filesystem.base_image";  // path to the squashfs
// Files whose start time matters more than their size (Docker's engine), one path per line
// as seen on the target; a plugin appends its own lines. The filesystem plugin may pack them
// apart with a compressor that decodes faster (fs-squashfs: its fast image).
inline constexpr const char* kFastPaths = "filesystem.fast_paths";
inline constexpr const char* kInitrd = "initramfs.image";      // path to initrd.img
inline constexpr const char* kKernelCmdline = "boot.cmdline";  // default kernel parameters
// Who shipped each file of the rootfs, for contents.txt: one or more files, one path per
// line, each of "path<TAB>package" lines (path relative to the rootfs). Files are read in
// order and a later line wins, so a plugin that replaces a packaged file (the multicall
// engine over containerd's binary) writes its own file and appends its path to the value.
inline constexpr const char* kFileOwners = "bootstrap.file_owners";
}  // namespace facts

// For a fact several plugins add to, one item per line (facts::kFileOwners,
// facts::kFastPaths): publishes `lines` after what earlier plugins published.
inline void append_fact(BuildContext& ctx, const std::string& key, const std::string& lines) {
  const auto earlier = ctx.lookup(key);
  ctx.publish(key, earlier ? *earlier + "\n" + lines : lines);
}

}  // namespace berth::sdk
