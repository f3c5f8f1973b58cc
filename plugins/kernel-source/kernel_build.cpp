#include "kernel_build.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "berth/sdk/error.hpp"

namespace berth::kernel_source {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxConfigBytes = 4 << 20;

std::string read_text(const fs::path& file, std::size_t limit) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("cannot read " + file.string());
  std::string text(limit + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limit) throw sdk::Error(file.string() + ": larger than expected");
  return text;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw sdk::Error("cannot write " + file.string());
}

fs::path resolve(const std::string& path, const fs::path& base) {
  const fs::path given(path);
  return given.is_absolute() ? given : base / given;
}

// Kbuild stamps these into the kernel; fixed, so the same inputs give the same kernel.
std::map<std::string, std::string> build_env() {
  return {{"KBUILD_BUILD_USER", "berth"},
          {"KBUILD_BUILD_HOST", "berth"},
          {"KBUILD_BUILD_TIMESTAMP", "2025-01-01 00:00:00 UTC"}};
}

std::vector<std::string> make(const SourceTree& tree, std::vector<std::string> targets) {
  std::vector<std::string> argv = {"make", "-s", "-C", tree.src.string(),
                                   "O=" + tree.objdir.string()};
  argv.insert(argv.end(), targets.begin(), targets.end());
  return argv;
}

std::string run_make(sdk::BuildContext& ctx, const SourceTree& tree,
                     std::vector<std::string> targets) {
  sdk::RunOptions options;
  options.env = build_env();
  options.capture = true;
  return ctx.run(make(tree, std::move(targets)), options).output;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

std::vector<Request> collect_requests(sdk::BuildContext& ctx, const Settings& settings) {
  std::vector<Request> requests;
  auto add = [&](const fs::path& file, const std::string& origin) {
    auto more = parse_fragment(read_text(file, 1 << 20), origin);
    requests.insert(requests.end(), more.begin(), more.end());
  };
  const fs::path own = ctx.data_dir() / "fragments";
  for (const char* name : {"berth.config", "docker.config", "hardware.config"}) {
    add(own / name, std::string("kernel-source/") + name);
  }
  if (settings.size) add(own / "size.config", "kernel-source/size.config");
  for (const auto& fragment : settings.fragments) {
    const fs::path file = resolve(fragment, ctx.config_dir());
    if (!fs::is_regular_file(file))
      ctx.config().fail("fragments", file.string() + " is not a file");
    add(file, fragment);
  }
  requests.insert(requests.end(), settings.options.begin(), settings.options.end());
  return requests;
}

std::string configure(sdk::BuildContext& ctx, const SourceTree& tree, const Settings& settings,
                      const std::vector<Request>& requests) {
  fs::create_directories(tree.objdir);
  const fs::path dot_config = tree.objdir / ".config";
  if (settings.base == "defconfig" || settings.base == "tinyconfig") {
    run_make(ctx, tree, {settings.base});
  } else {
    const fs::path base = settings.base == "source" ? tree.top / "source.config"
                                                    : resolve(settings.base, ctx.config_dir());
    if (!fs::is_regular_file(base)) {
      ctx.config().fail("base", settings.base == "source" ? tree.label + " holds no .config"
                                                          : base.string() + " is not a file");
    }
    write_text(dot_config, read_text(base, kMaxConfigBytes));
  }
  write_text(dot_config, apply_requests(read_text(dot_config, kMaxConfigBytes), requests));
  run_make(ctx, tree, {"olddefconfig"});
  const std::string final_config = read_text(dot_config, kMaxConfigBytes);

  const auto problems = unhonoured_requests(parse_config(final_config), requests);
  if (!problems.empty()) {
    std::string message = std::to_string(problems.size()) + " kernel option(s) did not stick: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      message += (i == 0 ? "" : "; ") + problems[i];
    }
    throw sdk::Error(message);
  }
  return final_config;
}

std::string toolchain(sdk::BuildContext& ctx) {
  sdk::RunOptions options;
  options.capture = true;
  return first_line(ctx.run({"gcc", "--version"}, options).output) + "\n" +
         first_line(ctx.run({"ld", "--version"}, options).output);
}

fs::path compiled_kernel(sdk::BuildContext& ctx, const SourceTree& tree, const Settings& settings,
                         const std::string& key, const std::vector<std::string>& make_variables) {
  const fs::path kernels = ctx.cache_dir() / "kernel-source" / "kernels";
  const fs::path entry = kernels / key;
  if (fs::exists(entry / "boot")) {
    ctx.info("kernel " + key + " found in the cache (" + entry.string() + ")");
    return entry;
  }

  const long processors = ::sysconf(_SC_NPROCESSORS_ONLN);
  const int jobs = settings.jobs > 0 ? settings.jobs : static_cast<int>(std::max(1L, processors));
  ctx.info("compiling the kernel (" + tree.label + ", make -j" + std::to_string(jobs) +
           "); the first build of a configuration takes tens of minutes");
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> targets = {"-j" + std::to_string(jobs)};
  targets.insert(targets.end(), make_variables.begin(), make_variables.end());
  targets.insert(targets.end(), {"bzImage", "modules"});
  auto argv = make(tree, targets);
  argv.insert(argv.begin(), {"nice", "-n", "10"});
  sdk::RunOptions options;
  options.env = build_env();
  ctx.run(argv, options);
  const auto minutes =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count() /
      60.0;

  const std::string version = first_line(run_make(ctx, tree, {"kernelrelease"}));
  if (version.empty() || version.find('/') != std::string::npos) {
    throw sdk::Error("make kernelrelease gave no usable version: '" + version + "'");
  }
  const fs::path staging = kernels / (key + ".partial");
  fs::remove_all(staging);
  fs::create_directories(staging / "boot");
  run_make(ctx, tree,
           {"modules_install", "INSTALL_MOD_PATH=" + (staging / "usr").string(),
            "INSTALL_MOD_STRIP=1", "DEPMOD=true"});
  const fs::path modules = staging / "usr/lib/modules" / version;
  for (const char* link : {"build", "source"}) fs::remove(modules / link);
  fs::copy_file(tree.objdir / "arch/x86/boot/bzImage", staging / "boot" / ("vmlinuz-" + version));
  fs::copy_file(tree.objdir / ".config", staging / "boot" / ("config-" + version));
  fs::remove_all(entry);
  fs::rename(staging, entry);
  char took[64];
  std::snprintf(took, sizeof took, "%.1f", minutes);
  ctx.info("kernel " + version + " compiled in " + took + " min, cached as " + entry.string());
  return entry;
}

}  // namespace berth::kernel_source
