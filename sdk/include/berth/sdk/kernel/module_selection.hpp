// Which modules a build ships: the modules named by a list of patterns, plus everything
// they need (modules.dep) or ask for (modules.softdep), transitively.
//
// A pattern is one of:
//   "ext4", "dm-crypt"       a module name ('-' and '_' are the same, as for modprobe)
//   "nft_*", "ip_vs*"        a glob over module names (fnmatch: * ? [...])
//   "kernel/net/netfilter/"  every module under a directory of lib/modules/<ver>/
//                            (must end with '/')
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "berth/sdk/kernel/module_index.hpp"

namespace berth::sdk::kernel {

// Why `pattern` is not a valid pattern, or nullopt when it is.
std::optional<std::string> pattern_problem(const std::string& pattern);

// Whether `pattern` selects the module `name` at `path` (relative to lib/modules/<ver>/).
bool pattern_matches(const std::string& pattern, const std::string& name, const std::string& path);

struct Selection {
  std::set<std::string> modules;       // names to ship, closed over dependencies
  std::vector<std::string> unmatched;  // patterns that matched neither a module nor a builtin
};

// Throws sdk::Error when a module's hard dependency is missing from the index.
Selection select_modules(const ModuleIndex& index, const std::vector<std::string>& patterns);

// Adds to `names` everything they depend on (hard and soft), transitively.
std::set<std::string> dependency_closure(const ModuleIndex& index, std::set<std::string> names);

}  // namespace berth::sdk::kernel
