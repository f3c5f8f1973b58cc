#include "berth/sdk/kernel/module_install.hpp"

#include <fstream>
#include <map>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk::kernel {
namespace fs = std::filesystem;
namespace {

// How to decompress each suffix in place (the tool drops the suffix and the original).
const std::map<std::string, std::vector<std::string>>& decompressors() {
  static const std::map<std::string, std::vector<std::string>> tools = {
      {".xz", {"xz", "--decompress", "--quiet", "--"}},
      {".zst", {"zstd", "--decompress", "--quiet", "--rm", "--"}},
      {".gz", {"gzip", "--decompress", "--quiet", "--"}},
      {".bz2", {"bzip2", "--decompress", "--quiet", "--"}},
  };
  return tools;
}

// Hundreds of modules per run keep the process count low and argv well below ARG_MAX.
constexpr std::size_t kFilesPerRun = 256;

void decompress_in_place(sdk::BuildContext& ctx, const fs::path& dir,
                         const std::map<std::string, std::vector<std::string>>& by_suffix) {
  for (const auto& [suffix, files] : by_suffix) {
    if (suffix.empty()) continue;
    const auto& tool = decompressors().at(suffix);
    for (std::size_t start = 0; start < files.size(); start += kFilesPerRun) {
      std::vector<std::string> argv = tool;
      for (std::size_t i = start; i < files.size() && i < start + kFilesPerRun; ++i) {
        argv.push_back(files[i]);
      }
      sdk::RunOptions options;
      options.cwd = dir;
      ctx.run(argv, options);
    }
  }
}

std::string suffix_of(const std::string& path) {
  std::string plain = strip_compression(path);
  return path.substr(plain.size());
}

void write_filtered_order(const fs::path& source, const fs::path& target,
                          const std::set<std::string>& shipped_paths) {
  std::ifstream in(source);
  if (!in) return;  // not every kernel build writes modules.order
  std::ofstream out(target, std::ios::trunc);
  for (std::string line; std::getline(in, line);) {
    if (shipped_paths.count(strip_compression(line)) != 0) out << line << '\n';
  }
  if (!out) throw sdk::Error("cannot write " + target.string());
}

}  // namespace

void run_depmod(sdk::BuildContext& ctx, const fs::path& modules_dir, const std::string& version,
                const fs::path& scratch) {
  const fs::path base = scratch / "depmod-base";
  fs::remove_all(base);
  for (const char* dir : {"lib/modules", "usr/lib/modules"}) {
    fs::create_directories(base / dir);
    fs::create_directory_symlink(fs::absolute(modules_dir), base / dir / version);
  }
  ctx.run({"depmod", "--basedir", base.string(), version});
  fs::remove_all(base);  // only symlinks below: remove_all does not follow them
}

std::uint64_t tree_size(const fs::path& dir) {
  std::uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && !entry.is_symlink()) bytes += entry.file_size();
  }
  return bytes;
}

InstalledModules install_modules(sdk::BuildContext& ctx, const ModuleIndex& index,
                                 const fs::path& source_dir, const std::set<std::string>& names,
                                 const fs::path& target_dir, const std::string& version,
                                 const fs::path& scratch) {
  fs::remove_all(target_dir);
  fs::create_directories(target_dir);

  std::map<std::string, std::vector<std::string>> by_suffix;
  std::set<std::string> shipped_paths;  // as .ko, relative to target_dir
  for (const auto& name : names) {
    const auto& path = index.modules.at(name).path;
    fs::create_directories((target_dir / path).parent_path());
    fs::copy_file(source_dir / path, target_dir / path, fs::copy_options::overwrite_existing);
    std::string suffix = suffix_of(path);
    if (!suffix.empty() && decompressors().count(suffix) == 0) {
      throw sdk::Error("module " + name + ": unknown compression " + suffix + " (" + path + ")");
    }
    by_suffix[suffix].push_back(path);
    shipped_paths.insert(strip_compression(path));
  }
  decompress_in_place(ctx, target_dir, by_suffix);
  for (const auto& path : shipped_paths) {
    if (!fs::is_regular_file(target_dir / path)) {
      throw sdk::Error("module " + path + " is missing after decompression in " +
                       target_dir.string());
    }
  }

  write_filtered_order(source_dir / "modules.order", target_dir / "modules.order", shipped_paths);
  for (const char* file : {"modules.builtin", "modules.builtin.modinfo"}) {
    if (fs::exists(source_dir / file)) {
      fs::copy_file(source_dir / file, target_dir / file, fs::copy_options::overwrite_existing);
    }
  }
  run_depmod(ctx, target_dir, version, scratch);
  return {shipped_paths.size(), tree_size(target_dir)};
}

}  // namespace berth::sdk::kernel
