#include "berth/sdk/kernel/module_selection.hpp"

#include <fnmatch.h>

#include <deque>

#include "berth/sdk/error.hpp"

namespace berth::sdk::kernel {

std::optional<std::string> pattern_problem(const std::string& pattern) {
  if (pattern.empty()) return "empty module pattern";
  if (pattern.find_first_of(" \t\n") != std::string::npos) {
    return "module pattern '" + pattern + "' contains white space";
  }
  auto slash = pattern.find('/');
  if (slash != std::string::npos && pattern.back() != '/') {
    return "module pattern '" + pattern +
           "' has a '/' but is not a directory (directories end with '/')";
  }
  if (pattern.front() == '/') {
    return "module pattern '" + pattern + "' must be relative to lib/modules/<version>/";
  }
  return std::nullopt;
}

bool pattern_matches(const std::string& pattern, const std::string& name, const std::string& path) {
  if (pattern.back() == '/') return path.starts_with(pattern);
  return fnmatch(normalize_module_name(pattern).c_str(), name.c_str(), 0) == 0;
}

std::set<std::string> dependency_closure(const ModuleIndex& index, std::set<std::string> names) {
  std::deque<std::string> todo(names.begin(), names.end());
  auto visit = [&](const std::string& name, const std::string& needed_by) {
    if (index.modules.count(name) == 0) {
      throw sdk::Error("module " + needed_by + " needs " + name + ", which is not in modules.dep");
    }
    if (names.insert(name).second) todo.push_back(name);
  };
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    auto module = index.modules.find(name);
    if (module == index.modules.end()) {
      throw sdk::Error("module " + name + " is not in modules.dep");
    }
    for (const auto& dep : module->second.deps) visit(dep, name);
    if (auto soft = index.softdeps.find(name); soft != index.softdeps.end()) {
      // A soft dependency that is builtin or absent is fine: modprobe skips it too.
      for (const auto& entry : soft->second) {
        for (const auto& target : resolve_soft_dependency(index, entry)) visit(target, name);
      }
    }
  }
  return names;
}

Selection select_modules(const ModuleIndex& index, const std::vector<std::string>& patterns) {
  Selection selection;
  std::set<std::string> seeds;
  for (const auto& pattern : patterns) {
    if (auto problem = pattern_problem(pattern)) throw sdk::Error(*problem);
    bool matched = false;
    for (const auto& [name, module] : index.modules) {
      if (pattern_matches(pattern, name, strip_compression(module.path))) {
        seeds.insert(name);
        matched = true;
      }
    }
    for (const auto& [name, path] : index.builtin) {
      matched = matched || pattern_matches(pattern, name, path);
    }
    if (!matched) selection.unmatched.push_back(pattern);
  }
  selection.modules = dependency_closure(index, std::move(seeds));
  return selection;
}

}  // namespace berth::sdk::kernel
