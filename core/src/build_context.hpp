// The core's implementation of sdk::BuildContext: one shared BuildState, and a thin
// per-plugin view so each hook sees its own config table, scratch and data directory.
#pragma once

#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <optional>

#include "apt_fetcher.hpp"
#include "berth/sdk/context.hpp"
#include "build_report.hpp"
#include "config_loader.hpp"

namespace berth::core {

struct BuildDirs {
  fs::path work;       // -w
  fs::path rootfs;     // work/rootfs
  fs::path initramfs;  // work/initramfs
  fs::path iso;        // work/iso
  fs::path staging;    // becomes the output directory when the build succeeds
  fs::path cache;      // --cache
};

struct BuildState {
  const LoadedConfig* config = nullptr;
  sdk::DebianSources debian;
  BuildDirs dirs;
  std::int64_t source_date_epoch = 0;
  std::shared_ptr<spdlog::logger> log;
  BuildReport report;
  std::map<std::string, std::string> facts;
  std::unique_ptr<AptFetcher> apt;  // made on first use
};

class PluginContext : public sdk::BuildContext {
 public:
  PluginContext(BuildState& state, std::string plugin, const sdk::ConfigTable& table,
                fs::path data_dir);

  const fs::path& rootfs() const override { return state_.dirs.rootfs; }
  const fs::path& initramfs_root() const override { return state_.dirs.initramfs; }
  const fs::path& iso_root() const override { return state_.dirs.iso; }
  const fs::path& output_dir() const override { return state_.dirs.staging; }
  const fs::path& cache_dir() const override { return state_.dirs.cache; }
  fs::path work_dir() const override;
  fs::path data_dir() const override { return data_dir_; }
  fs::path config_dir() const override { return state_.config->dir; }

  const sdk::ConfigTable& config() const override { return table_; }
  const sdk::DebianSources& debian() const override { return state_.debian; }
  std::string berth_version() const override;
  std::int64_t source_date_epoch() const override { return state_.source_date_epoch; }

  void log(sdk::LogLevel level, const std::string& message) override;
  sdk::RunResult run(const std::vector<std::string>& argv,
                     const sdk::RunOptions& options = {}) override;

  std::vector<sdk::FetchedPackage> fetch_packages(const std::vector<std::string>& names,
                                                  bool with_dependencies) override;
  void extract_deb(const fs::path& deb, const fs::path& target) override;

  void write_cpio(const fs::path& tree, const fs::path& archive,
                  sdk::Compression compression) override;
  void write_tar(const fs::path& tree, const fs::path& archive,
                 sdk::Compression compression) override;
  void copy_tree(const fs::path& source, const fs::path& target) override;

  void publish(const std::string& key, const std::string& value) override;
  std::optional<std::string> lookup(const std::string& key) const override;

  void report_size(const std::string& component, std::uint64_t bytes) override;
  void report_removed(const std::string& rule, std::uint64_t files, std::uint64_t bytes) override;
  void record_packages(const std::vector<sdk::FetchedPackage>& packages) override;

 private:
  void compress(const fs::path& raw, const fs::path& archive, sdk::Compression compression);

  BuildState& state_;
  std::string plugin_;
  const sdk::ConfigTable& table_;
  fs::path data_dir_;
};

}  // namespace berth::core
