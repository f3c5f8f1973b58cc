// A BuildContext on temporary directories for image-build's and gui-xpra's tests. write_tar
// is the core's real archive writer (uncompressed only); run() records each command and
// hands it to `on_run`, where a test plays mmdebstrap.
#pragma once

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "archive_writer.hpp"
#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "test_support.hpp"

namespace berth::image_build::test {

namespace fs = std::filesystem;

// `text` as the whole of `file`, its directories made first.
inline void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

// The whole of `file`.
inline std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class FakeContext : public sdk::BuildContext {
 public:
  FakeContext()
      : rootfs_(top_.path() / "work/rootfs"),
        initramfs_(top_.path() / "work/initramfs"),
        iso_(top_.path() / "work/iso"),
        output_(top_.path() / "work/out.staging"),
        cache_(top_.path() / "cache"),
        data_(top_.path() / "data"),
        config_dir_(top_.path() / "config") {
    for (const auto* dir : {&rootfs_, &initramfs_, &iso_, &output_, &cache_, &config_dir_}) {
      fs::create_directories(*dir);
    }
    fs::create_directories(work_dir());
    debian_.suite = "trixie";
    debian_.architecture = "amd64";
    debian_.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  }

  const fs::path& rootfs() const override { return rootfs_; }
  const fs::path& initramfs_root() const override { return initramfs_; }
  const fs::path& iso_root() const override { return iso_; }
  const fs::path& output_dir() const override { return output_; }
  const fs::path& cache_dir() const override { return cache_; }
  fs::path work_dir() const override { return top_.path() / "work/plugins/test"; }
  fs::path data_dir() const override { return data_; }
  fs::path config_dir() const override { return config_dir_; }
  const sdk::ConfigTable& config() const override { return config_; }
  const sdk::DebianSources& debian() const override { return debian_; }
  std::string berth_version() const override { return version; }
  std::int64_t source_date_epoch() const override { return 1700000000; }

  void log(sdk::LogLevel level, const std::string& message) override {
    logs.emplace_back(level, message);
  }

  sdk::RunResult run(const std::vector<std::string>& argv,
                     const sdk::RunOptions& options) override {
    runs.push_back(argv);
    run_env.push_back(options.env);
    if (!on_run) throw sdk::Error("unexpected command: " + argv.at(0));
    on_run(argv);
    return {};
  }
  std::vector<sdk::FetchedPackage> fetch_packages(const std::vector<std::string>&, bool) override {
    throw sdk::Error("fetch_packages is not for image-build");
  }
  void extract_deb(const fs::path&, const fs::path&) override {
    throw sdk::Error("extract_deb is not for image-build");
  }
  void write_cpio(const fs::path&, const fs::path&, sdk::Compression) override {
    throw sdk::Error("write_cpio is not for image-build");
  }
  void write_tar(const fs::path& tree, const fs::path& archive,
                 sdk::Compression compression) override {
    if (compression != sdk::Compression::none) throw sdk::Error("the fake writes plain tars only");
    fs::create_directories(archive.parent_path());
    core::write_archive(tree, archive, core::ArchiveFormat::tar_pax, source_date_epoch());
  }
  void copy_tree(const fs::path& source, const fs::path& target) override {
    fs::create_directories(target);
    fs::copy(source, target,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::overwrite_existing);
  }
  void publish(const std::string&, const std::string&) override {}
  std::optional<std::string> lookup(const std::string&) const override { return std::nullopt; }
  void report_size(const std::string& component, std::uint64_t bytes) override {
    sizes[component] = bytes;
  }
  void report_removed(const std::string&, std::uint64_t, std::uint64_t) override {}
  void record_packages(const std::vector<sdk::FetchedPackage>&) override {}

  bool logged(const std::string& part) const {
    for (const auto& [level, message] : logs) {
      if (level == sdk::LogLevel::info && message.find(part) != std::string::npos) return true;
    }
    return false;
  }
  const fs::path& top() const { return top_.path(); }
  void set_data_dir(const fs::path& dir) { data_ = dir; }
  sdk::DebianSources& debian_sources() { return debian_; }

  std::string version = "0.1.0";
  std::function<void(const std::vector<std::string>&)> on_run;
  std::vector<std::vector<std::string>> runs;
  std::vector<std::map<std::string, std::string>> run_env;
  std::map<std::string, std::uint64_t> sizes;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;

 private:
  berth::test::TempDir top_;
  fs::path rootfs_, initramfs_, iso_, output_, cache_, data_, config_dir_;
  sdk::ConfigTable config_{"gui", "berth.toml:1"};
  sdk::DebianSources debian_;
};

}  // namespace berth::image_build::test
