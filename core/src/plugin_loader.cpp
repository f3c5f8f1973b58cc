#include "plugin_loader.hpp"

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "berth/sdk/error.hpp"
#include "build_info.hpp"

namespace berth::core {
namespace {

using sdk::Error;

// dlopen() runs a library's constructors: check the ELF magic first so a stray text
// file named *.so gets a clear message instead of a loader error.
bool looks_like_elf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

// The toolchain record is a C string in the plugin's data: bounded, because a library
// that only pretends to be a plugin may put anything under that name.
std::optional<PluginToolchain> read_toolchain(const boost::dll::shared_library& library) {
  if (!library.has(sdk::kToolchainSymbol)) return std::nullopt;
  const char& first = library.get<const char>(sdk::kToolchainSymbol);
  constexpr std::size_t kMaxRecord = 256;
  const std::size_t length = ::strnlen(&first, kMaxRecord);
  if (length == kMaxRecord) return std::nullopt;
  return parse_toolchain(std::string_view(&first, length));
}

}  // namespace

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& from_config) {
  std::vector<fs::path> path = from_config;
  if (const char* env = std::getenv("BERTH_PLUGIN_PATH")) {
    std::string value = env;
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t end = std::min(value.find(':', start), value.size());
      if (end > start) path.emplace_back(value.substr(start, end - start));
      start = end + 1;
    }
  }
  // Beside the executable: the build tree and relocated installs look alike.
  const fs::path exe_dir = boost::dll::program_location().parent_path().string();
  path.push_back((exe_dir / ".." / kPluginSubdir).lexically_normal());
  path.emplace_back(kInstalledPluginDir);
  // Keep the first occurrence of each directory.
  std::vector<fs::path> unique;
  std::set<fs::path> seen;
  for (const auto& dir : path) {
    if (seen.insert(dir.lexically_normal()).second) unique.push_back(dir.lexically_normal());
  }
  return unique;
}

std::unique_ptr<LoadedPlugin> load_plugin_file(const fs::path& file) {
  const std::string shown = file.string();
  if (!fs::is_regular_file(file)) throw Error("plugin " + shown + ": no such file");
  if (!looks_like_elf(file)) throw Error("plugin " + shown + ": not a shared object");

  auto loaded = std::make_unique<LoadedPlugin>();
  loaded->file = file;
  try {
    // RTLD_LOCAL: two plugins may carry the same inline helpers without clashing.
    loaded->library.load(file.string(),
                         boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    throw Error("plugin " + shown + ": not a loadable shared object (" + error.what() + ")");
  }
  if (!loaded->library.has(sdk::kAbiSymbol)) {
    throw Error("plugin " + shown + ": not a Berth plugin (no " + sdk::kAbiSymbol + " symbol)");
  }
  const unsigned abi = loaded->library.get<const unsigned>(sdk::kAbiSymbol);
  if (abi != sdk::kAbiVersion) {
    throw Error("plugin " + shown + ": built for SDK ABI " + std::to_string(abi) +
                ", this berth uses ABI " + std::to_string(sdk::kAbiVersion) +
                ": rebuild it against this SDK");
  }
  const auto toolchain = read_toolchain(loaded->library);
  if (!toolchain) {
    throw Error("plugin " + shown + ": carries no toolchain record (" + sdk::kToolchainSymbol +
                "): built with an SDK before 1.0, rebuild it against this SDK");
  }
  if (const auto mismatch = toolchain_mismatch(*toolchain, core_toolchain())) {
    throw Error("plugin " + shown + ": " + *mismatch);
  }
  loaded->toolchain = *toolchain;
  if (!loaded->library.has(sdk::kFactorySymbol)) {
    throw Error("plugin " + shown + ": missing factory symbol " + sdk::kFactorySymbol);
  }
  auto& factory = loaded->library.get<sdk::Plugin*()>(sdk::kFactorySymbol);
  try {
    loaded->plugin.reset(factory());
    if (!loaded->plugin) throw Error("factory returned nothing");
    loaded->info = loaded->plugin->info();
  } catch (const std::exception& error) {
    throw Error("plugin " + shown + ": failed to start: " + error.what());
  }
  if (loaded->info.name.empty() || loaded->info.concern.empty()) {
    throw Error("plugin " + shown + ": declares no name or no concern");
  }
  loaded->data_dir = file.parent_path() / loaded->info.name;
  // Without its data a plugin would build an image that silently lacks its files.
  if (loaded->toolchain.has_data && !fs::is_directory(loaded->data_dir)) {
    throw Error("plugin " + shown + ": its data directory " + loaded->data_dir.string() +
                " is missing (install the plugin with its files, or build it with "
                "berth_add_plugin(... DATA <dir>), which links it beside the .so)");
  }
  return loaded;
}

std::unique_ptr<LoadedPlugin> load_named_plugin_file(const std::string& name,
                                                     const fs::path& file) {
  auto loaded = load_plugin_file(file);
  if (loaded->info.name != name) {
    throw Error("plugin " + file.string() + ": calls itself '" + loaded->info.name +
                "', expected '" + name + "' (the name of its file)");
  }
  return loaded;
}

std::unique_ptr<LoadedPlugin> load_plugin(const std::string& name,
                                          const std::vector<fs::path>& search_path) {
  // The name comes from a config file and becomes part of a path that dlopen() runs code
  // from: a / or .. could reach any shared object on the machine.
  const bool plain = !name.empty() && name.size() <= 64 &&
                     std::isalnum(static_cast<unsigned char>(name[0])) &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                     });
  if (!plain) {
    throw Error("plugin name '" + name +
                "' is not a plugin name (letters, digits, - and _, starting with a letter or "
                "digit)");
  }
  for (const auto& dir : search_path) {
    const fs::path candidate = dir / (name + ".so");
    if (!fs::exists(candidate)) continue;
    return load_named_plugin_file(name, candidate);
  }
  std::string looked;
  for (const auto& dir : search_path) looked += (looked.empty() ? "" : ", ") + dir.string();
  throw Error("plugin '" + name + "' not found (looked in: " + looked + ")");
}

std::vector<PluginFiles> discover_plugin_files(const std::vector<fs::path>& search_path) {
  std::map<std::string, PluginFiles> by_name;  // sorted by name
  for (const auto& dir : search_path) {
    std::error_code error;
    std::vector<fs::path> in_dir;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".so") in_dir.push_back(entry.path());
    }
    std::sort(in_dir.begin(), in_dir.end());  // directory order is the file system's
    for (const auto& file : in_dir) {
      const std::string name = file.stem().string();
      auto [found, first] = by_name.try_emplace(name, PluginFiles{name, file, {}});
      if (!first) found->second.shadowed.push_back(file);  // the first on the path wins
    }
  }
  std::vector<PluginFiles> plugins;
  for (auto& [name, files] : by_name) plugins.push_back(std::move(files));
  return plugins;
}

}  // namespace berth::core
