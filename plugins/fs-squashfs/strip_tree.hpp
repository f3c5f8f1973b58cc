// Applies strip rules to a directory tree and counts what each rule removed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "strip_rules.hpp"

namespace berth::fs_squashfs {

struct StripResult {
  std::string rule;
  std::uint64_t files = 0;  // everything but directories: files, symlinks, nodes
  std::uint64_t bytes = 0;  // apparent size of the regular files among them
  bool skipped = false;     // the rule's unless_present path exists
};

// Walks `root` once, without following symlinks. Each entry goes to the first rule
// that matches it (a directory that matches goes whole, minus what `keep` protects;
// a directory left empty that way goes too); an entry `keep` matches stays with
// everything below it. Returns one result per rule, in the order of `rules`.
// Throws sdk::Error naming the path that cannot be read or removed, and for a pattern
// PathGlob refuses.
// `keep_paths`: exact paths relative to `root` that stay as well (libraries still needed).
std::vector<StripResult> strip_tree(const std::filesystem::path& root,
                                    const std::vector<StripRule>& rules,
                                    const std::vector<std::string>& keep,
                                    const std::set<std::string>& keep_paths = {});

// What strip_tree would remove, touching nothing: every file, symlink and node (not the
// directories) by its path relative to `root`, with the name of the rule that takes it.
std::map<std::string, std::string> planned_removals(const std::filesystem::path& root,
                                                    const std::vector<StripRule>& rules,
                                                    const std::vector<std::string>& keep);

}  // namespace berth::fs_squashfs
