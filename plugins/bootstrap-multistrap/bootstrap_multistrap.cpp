// bootstrap-multistrap: the rootfs made by multistrap (Debian 12's package), extract
// only. multistrap builds trixie on a Debian 12 host once the target's
// etc/apt/trusted.gpg.d/ holds the archive keyring; its own keyring= download fails.
// What happens before and after the tool is shared with bootstrap-mmdebstrap
// (plugins/bootstrap-common/bootstrap.hpp).
#include <filesystem>
#include <sstream>

#include "berth/sdk/plugin.hpp"
#include "bootstrap.hpp"
#include "fs_util.hpp"
#include "multistrap_config.hpp"
#include "package_list.hpp"
#include "unpack_check.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace bs = berth::bootstrap;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

class MultistrapTool final : public bs::Tool {
 public:
  std::string name() const override { return "multistrap"; }
  void require_available() const override { bs::require_multistrap(bs::kMultistrapProgram); }

  std::vector<fs::path> extract(sdk::BuildContext& ctx, const bs::ToolRun& run) override {
    prepare_target(run);
    const fs::path config = run.work_dir / "multistrap.conf";
    bs::write_file_atomic(
        config, bs::render_multistrap_config({run.rootfs, run.debian.architecture, run.preferences,
                                              run.debian.suite, run.debian.sources, run.packages}));
    sdk::RunOptions options;
    options.capture = true;         // apt's selection is read from it below
    options.check = false;          // log the output first, then fail
    options.env["LC_ALL"] = "C";    // apt's messages untranslated, as parsed
    options.env["COLUMNS"] = "80";  // how apt wraps the package list
    const auto result = ctx.run({bs::kMultistrapProgram, "-f", config.string()}, options);
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) ctx.debug("multistrap: " + line);
    if (result.exit_code != 0) {
      throw sdk::Error("multistrap -f " + config.string() + " exited with status " +
                       std::to_string(result.exit_code) + " (see the log with --verbose)");
    }
    return check(run, result.output);
  }

 private:
  // The keyring and apt settings multistrap's apt reads from the target's etc/apt.
  static void prepare_target(const bs::ToolRun& run) {
    const fs::path apt = run.rootfs / "etc" / "apt";
    fs::create_directories(apt / "trusted.gpg.d");
    // apt reads only *.gpg (binary) and *.asc (armored) from trusted.gpg.d.
    const std::string extension = run.debian.keyring.extension() == ".asc" ? ".asc" : ".gpg";
    fs::copy_file(run.debian.keyring, apt / "trusted.gpg.d" / ("berth-archive-keyring" + extension),
                  fs::copy_options::overwrite_existing);
    // multistrap points apt's Dir::Etc::Parts here. No Translation indexes (nobody
    // reads package descriptions), and the downloads are root's, as the rootfs is.
    bs::write_file_atomic(apt / "apt.conf.d" / "00berth",
                          "Acquire::Languages \"none\";\nAPT::Sandbox::User \"root\";\n");
  }

  static std::vector<fs::path> check(const bs::ToolRun& run, const std::string& output) {
    const auto selected = bs::apt_new_packages(output);
    if (selected.empty()) {
      throw sdk::Error("apt's package selection not found in multistrap's output");
    }
    const fs::path archives = bs::apt_archives(run.rootfs);
    std::vector<std::string> debs;
    for (const auto& deb : bs::deb_files(archives)) debs.push_back(deb.filename().string());
    const fs::path status = run.rootfs / "var" / "lib" / "dpkg" / "status";
    const auto unpacked = bs::status_packages(fs::exists(status) ? bs::read_file(status) : "");

    const auto result = bs::check_unpacked(selected, debs, unpacked, run.seeded);
    if (!result.undownloaded.empty()) {
      throw sdk::Error("apt selected " + joined(result.undownloaded) +
                       " but multistrap left no .deb for them in " + archives.string());
    }
    if (!result.unexpected.empty()) {
      throw bs::SeedMismatch(
          "multistrap unpacked cached packages apt did not select: " + joined(result.unexpected),
          result.wanted);
    }
    if (!result.not_unpacked.empty()) {
      throw sdk::Error("multistrap did not unpack " + joined(result.not_unpacked) +
                       " (dpkg -X failed; see the log with --verbose)");
    }
    std::vector<fs::path> paths;
    for (const auto& deb : result.wanted) paths.push_back(archives / deb);
    return paths;
  }
};

class BootstrapMultistrap final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"bootstrap-multistrap", "0.1.0", "bootstrap", true,
            "Debian rootfs unpacked by multistrap (Debian 12 hosts), no maintainer scripts"};
  }
  std::vector<sdk::ConfigKey> config_schema() const override { return bs::bootstrap_config_keys(); }
  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    bs::read_package_list(config);  // a bad package name fails before any stage runs
    hooks.add(sdk::Stage::bootstrap, sdk::order::kMain, "bootstrap", [](sdk::BuildContext& ctx) {
      MultistrapTool tool;
      bs::run_bootstrap(ctx, tool);
    });
  }
};

}  // namespace

BERTH_PLUGIN(BootstrapMultistrap)
