#include "strip_tree.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "path_glob.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

struct CompiledRule {
  const StripRule* rule;
  std::vector<PathGlob> globs;
  bool active;
};

struct Entry {
  fs::path path;
  std::string name;
  fs::file_type type;
};

std::vector<PathGlob> compile(const std::vector<std::string>& patterns, const std::string& owner) {
  std::vector<PathGlob> globs;
  for (const auto& pattern : patterns) {
    try {
      globs.emplace_back(pattern);
    } catch (const std::invalid_argument& error) {
      throw sdk::Error(owner + ": " + error.what());
    }
  }
  return globs;
}

bool any_matches(const std::vector<PathGlob>& globs, const std::vector<std::string>& components) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PathGlob& glob) { return glob.matches(components); });
}

std::string joined(const std::vector<std::string>& components) {
  std::string path;
  for (const auto& component : components) path += (path.empty() ? "" : "/") + component;
  return path;
}

// The directory's entries, sorted so the walk does not depend on readdir order. Read
// up front: removing entries while a directory_iterator is open is unspecified.
std::vector<Entry> list_directory(const fs::path& dir) {
  std::vector<Entry> entries;
  std::error_code error;
  fs::directory_iterator it(dir, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const auto type = it->symlink_status(error).type();
    if (error) break;
    entries.push_back({it->path(), it->path().filename().string(), type});
  }
  if (error) throw sdk::Error("cannot read " + dir.string() + ": " + error.message());
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return entries;
}

class Stripper {
 public:
  // `plan`: nothing is removed; what would be goes into *plan instead.
  Stripper(const fs::path& root, const std::vector<StripRule>& rules,
           const std::vector<std::string>& keep, const std::set<std::string>& keep_paths,
           std::map<std::string, std::string>* plan)
      : keep_(compile(keep, "keep rule")), keep_paths_(keep_paths), plan_(plan) {
    for (const auto& rule : rules) {
      std::error_code error;
      const bool guarded = !rule.unless_present.empty() && fs::is_regular_file(fs::symlink_status(
                                                               root / rule.unless_present, error));
      rules_.push_back({&rule, compile(rule.patterns, "strip rule '" + rule.name + "'"), !guarded});
      results_.push_back({rule.name, 0, 0, guarded});
    }
  }

  void walk(const fs::path& dir, std::vector<std::string>& components) {
    for (const auto& entry : list_directory(dir)) {
      components.push_back(entry.name);
      const bool is_dir = entry.type == fs::file_type::directory;
      if (!kept(components)) {
        if (auto rule = first_match(components, is_dir)) {
          if (is_dir) {
            remove_directory(entry.path, components, *rule);
          } else {
            remove_file(entry, components, *rule);
          }
        } else if (is_dir) {
          walk(entry.path, components);
        }
      }
      components.pop_back();
    }
  }

  std::vector<StripResult> results() && { return std::move(results_); }

 private:
  bool kept(const std::vector<std::string>& components) const {
    return any_matches(keep_, components) ||
           (!keep_paths_.empty() && keep_paths_.count(joined(components)) > 0);
  }

  std::optional<std::size_t> first_match(const std::vector<std::string>& components,
                                         bool is_dir) const {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const auto& rule = rules_[i];
      if (!rule.active || (is_dir && rule.rule->files_only)) continue;
      if (any_matches(rule.globs, components)) return i;
    }
    return std::nullopt;
  }

  // Everything below `dir` that keep does not protect; `dir` too when that is all of it.
  // Returns whether `dir` is gone.
  bool remove_directory(const fs::path& dir, std::vector<std::string>& components,
                        std::size_t rule) {
    bool emptied = true;
    for (const auto& entry : list_directory(dir)) {
      components.push_back(entry.name);
      if (kept(components)) {
        emptied = false;
      } else if (entry.type == fs::file_type::directory) {
        emptied = remove_directory(entry.path, components, rule) && emptied;
      } else {
        remove_file(entry, components, rule);
      }
      components.pop_back();
    }
    if (emptied) remove(dir);
    return emptied;
  }

  void remove_file(const Entry& entry, const std::vector<std::string>& components,
                   std::size_t rule) {
    StripResult& result = results_[rule];
    if (entry.type == fs::file_type::regular) {
      std::error_code error;
      const auto size = fs::file_size(entry.path, error);
      if (error) throw sdk::Error("cannot stat " + entry.path.string() + ": " + error.message());
      result.bytes += size;
    }
    if (plan_) plan_->emplace(joined(components), result.rule);
    remove(entry.path);
    ++result.files;
  }

  void remove(const fs::path& path) const {
    if (plan_) return;
    std::error_code error;
    fs::remove(path, error);
    if (error) throw sdk::Error("cannot remove " + path.string() + ": " + error.message());
  }

  std::vector<PathGlob> keep_;
  std::set<std::string> keep_paths_;
  std::map<std::string, std::string>* plan_;
  std::vector<CompiledRule> rules_;
  std::vector<StripResult> results_;
};

}  // namespace

namespace {

std::vector<StripResult> walk_tree(const fs::path& root, const std::vector<StripRule>& rules,
                                   const std::vector<std::string>& keep,
                                   const std::set<std::string>& keep_paths,
                                   std::map<std::string, std::string>* plan) {
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(root, error))) {
    throw sdk::Error("cannot strip " + root.string() + ": not a directory");
  }
  Stripper stripper(root, rules, keep, keep_paths, plan);
  std::vector<std::string> components;
  stripper.walk(root, components);
  return std::move(stripper).results();
}

}  // namespace

std::vector<StripResult> strip_tree(const fs::path& root, const std::vector<StripRule>& rules,
                                    const std::vector<std::string>& keep,
                                    const std::set<std::string>& keep_paths) {
  return walk_tree(root, rules, keep, keep_paths, nullptr);
}

std::map<std::string, std::string> planned_removals(const fs::path& root,
                                                    const std::vector<StripRule>& rules,
                                                    const std::vector<std::string>& keep) {
  std::map<std::string, std::string> plan;
  walk_tree(root, rules, keep, {}, &plan);
  return plan;
}

}  // namespace berth::fs_squashfs
