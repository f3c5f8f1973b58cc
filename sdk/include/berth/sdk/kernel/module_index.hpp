// What depmod knows about a kernel's modules, read back from its text files:
// modules.dep (hard dependencies), modules.softdep, modules.alias (only to resolve soft
// dependencies that name an alias, e.g. "crypto-crc32c") and modules.builtin.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace berth::sdk::kernel {

// Module names treat '-' and '_' alike (modprobe does); we keep the '_' form.
std::string normalize_module_name(std::string_view name);

// "kernel/fs/ext4/ext4.ko.xz" -> "kernel/fs/ext4/ext4.ko"; paths without a known
// compression suffix are returned unchanged.
std::string strip_compression(std::string_view path);

// "kernel/net/bridge/br_netfilter.ko.zst" -> "br_netfilter"; "" when not a .ko path.
std::string module_name_of(std::string_view path);

struct Module {
  std::string name;               // normalized
  std::string path;               // relative to lib/modules/<ver>/, as in modules.dep
  std::vector<std::string> deps;  // names of the modules it needs, in modules.dep order
};

struct ModuleIndex {
  std::map<std::string, Module> modules;                     // by name
  std::map<std::string, std::vector<std::string>> softdeps;  // name -> names or aliases
  std::map<std::string, std::vector<std::string>> aliases;   // alias -> module names
  std::map<std::string, std::string> builtin;                // name -> path (.ko)
};

// Parsers for each file's text. Malformed modules.dep lines throw sdk::Error naming the
// `source` and the line number; the other files are best effort (depmod writes them).
std::vector<Module> parse_modules_dep(const std::string& text, const std::string& source);
std::map<std::string, std::vector<std::string>> parse_modules_softdep(const std::string& text);
std::map<std::string, std::vector<std::string>> parse_modules_alias(const std::string& text);
std::map<std::string, std::string> parse_modules_builtin(const std::string& text);

// Reads the files of one modules directory (lib/modules/<ver>/). modules.dep must exist;
// the others may be missing (a kernel with no soft dependencies, no builtin list).
ModuleIndex load_module_index(const std::filesystem::path& modules_dir);

// The module names a soft dependency entry stands for: itself when it is a module,
// else the modules its alias points at; empty when it is builtin or unknown.
std::vector<std::string> resolve_soft_dependency(const ModuleIndex& index,
                                                 const std::string& entry);

}  // namespace berth::sdk::kernel
