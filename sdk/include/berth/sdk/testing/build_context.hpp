// A BuildContext for plugin authors' unit tests: every directory a hook may touch, fresh
// under a temporary directory (removed when the context goes), and a record of what the
// hook asked for: the programs it ran, the archives it wrote, the facts it published, the
// sizes and removals it reported, the lines it logged. Nothing runs and nothing is fetched
// unless the test says how (on_run, on_fetch, on_extract_deb, on_write_archive).
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk::testing {

class FakeBuildContext : public BuildContext {
 public:
  struct Run {
    std::vector<std::string> argv;
    RunOptions options;
  };
  struct ArchiveWrite {
    fs::path tree;
    fs::path archive;
    Compression compression;
    bool cpio;  // write_cpio, else write_tar
  };

  // `plugin` names the work directory and the config table.
  explicit FakeBuildContext(const std::string& plugin = "plugin")
      : rootfs_(top_.path() / "work/rootfs"),
        initramfs_(top_.path() / "work/initramfs"),
        iso_(top_.path() / "work/iso"),
        output_(top_.path() / "work/out.staging"),
        cache_(top_.path() / "cache"),
        work_(top_.path() / "work/plugins" / plugin),
        data_(top_.path() / "data"),
        config_dir_(top_.path() / "config"),
        config_(plugin, "berth.toml:1") {
    for (const auto* dir :
         {&rootfs_, &initramfs_, &iso_, &output_, &cache_, &work_, &data_, &config_dir_}) {
      fs::create_directories(*dir);
    }
    debian_.suite = "trixie";
    debian_.architecture = "amd64";
    debian_.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  }

  const fs::path& rootfs() const override { return rootfs_; }
  const fs::path& initramfs_root() const override { return initramfs_; }
  const fs::path& iso_root() const override { return iso_; }
  const fs::path& output_dir() const override { return output_; }
  const fs::path& cache_dir() const override { return cache_; }
  fs::path work_dir() const override { return work_; }
  fs::path data_dir() const override { return data_; }
  fs::path config_dir() const override { return config_dir_; }
  const ConfigTable& config() const override { return config_; }
  const DebianSources& debian() const override { return debian_; }
  std::string berth_version() const override { return version; }
  std::int64_t source_date_epoch() const override { return epoch; }

  void log(LogLevel level, const std::string& message) override {
    logs.emplace_back(level, message);
  }

  // Recorded, then handed to on_run; without one every program is unexpected.
  RunResult run(const std::vector<std::string>& argv, const RunOptions& options) override {
    runs.push_back({argv, options});
    if (!on_run) throw Error("unexpected command: " + (argv.empty() ? "" : argv.front()));
    return on_run(argv, options);
  }
  std::vector<FetchedPackage> fetch_packages(const std::vector<std::string>& names,
                                             bool with_dependencies) override {
    if (!on_fetch) throw Error("unexpected fetch_packages");
    return on_fetch(names, with_dependencies);
  }
  void extract_deb(const fs::path& deb, const fs::path& target) override {
    if (!on_extract_deb) throw Error("unexpected extract_deb: " + deb.string());
    on_extract_deb(deb, target);
  }
  void write_cpio(const fs::path& tree, const fs::path& archive, Compression compression) override {
    write_archive({tree, archive, compression, true});
  }
  void write_tar(const fs::path& tree, const fs::path& archive, Compression compression) override {
    write_archive({tree, archive, compression, false});
  }
  // A real copy: symlinks kept, not followed.
  void copy_tree(const fs::path& source, const fs::path& target) override {
    fs::create_directories(target);
    fs::copy(source, target,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::overwrite_existing);
  }

  void publish(const std::string& key, const std::string& value) override { facts[key] = value; }
  std::optional<std::string> lookup(const std::string& key) const override {
    const auto it = facts.find(key);
    if (it == facts.end()) return std::nullopt;
    return it->second;
  }
  void report_size(const std::string& component, std::uint64_t bytes) override {
    sizes[component] = bytes;
  }
  void report_removed(const std::string& rule, std::uint64_t files, std::uint64_t bytes) override {
    removed[rule] = {files, bytes};
  }
  void record_packages(const std::vector<FetchedPackage>& recorded) override {
    packages.insert(packages.end(), recorded.begin(), recorded.end());
  }

  // Whether a line at `level` holds `part`.
  bool logged(std::string_view part, LogLevel level = LogLevel::info) const {
    return std::any_of(logs.begin(), logs.end(), [&](const auto& line) {
      return line.first == level && line.second.find(part) != std::string::npos;
    });
  }

  // The temporary directory everything lives under.
  const fs::path& top() const { return top_.path(); }
  void set_data_dir(fs::path dir) { data_ = std::move(dir); }
  void set_config_dir(fs::path dir) { config_dir_ = std::move(dir); }
  void set_config(ConfigTable config) { config_ = std::move(config); }
  DebianSources& mutable_debian() { return debian_; }

  std::string version = "0.1.0";
  std::int64_t epoch = 1700000000;

  // How the test plays the outside world.
  std::function<RunResult(const std::vector<std::string>&, const RunOptions&)> on_run;
  std::function<std::vector<FetchedPackage>(const std::vector<std::string>&, bool)> on_fetch;
  std::function<void(const fs::path& deb, const fs::path& target)> on_extract_deb;
  // Without one, an "archive" is a listing of the tree ("cpio:" or "tar:", then each path
  // relative to it, sorted), so a test sees what went in.
  std::function<void(const ArchiveWrite&)> on_write_archive;

  // What the hooks did.
  std::vector<Run> runs;
  std::vector<ArchiveWrite> archives;
  std::map<std::string, std::string> facts;
  std::map<std::string, std::uint64_t> sizes;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> removed;  // files, bytes
  std::vector<FetchedPackage> packages;
  std::vector<std::pair<LogLevel, std::string>> logs;

 private:
  void write_archive(const ArchiveWrite& call) {
    archives.push_back(call);
    fs::create_directories(call.archive.parent_path());
    if (on_write_archive) {
      on_write_archive(call);
      return;
    }
    std::vector<std::string> paths;
    for (const auto& entry : fs::recursive_directory_iterator(call.tree)) {
      paths.push_back(fs::relative(entry.path(), call.tree).string());
    }
    std::sort(paths.begin(), paths.end());
    std::ofstream out(call.archive, std::ios::binary);
    out << (call.cpio ? "cpio:" : "tar:");
    for (const auto& path : paths) out << " " << path;
  }

  TempDir top_;
  fs::path rootfs_, initramfs_, iso_, output_, cache_, work_, data_, config_dir_;
  ConfigTable config_;
  DebianSources debian_;
};

}  // namespace berth::sdk::testing
