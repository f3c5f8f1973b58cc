// What the strip stage removes from the rootfs, as data: the built-in rules and the
// paths no rule may touch. The walk that applies them is strip_tree.hpp.
#pragma once

#include <string>
#include <vector>

namespace berth::fs_squashfs {

struct StripRule {
  std::string name;                   // how the build report lists it
  std::vector<std::string> patterns;  // PathGlob patterns, relative to the rootfs
  // Only files, symlinks and other non-directories: directories stay, so the skeleton
  // (var/log/, var/cache/...) that packages and plugins created with their modes remains.
  bool files_only = false;
  // The rule is skipped when the rootfs holds this path as a regular file: what the rule
  // removes is then read after all (the systemd units when systemd is the init, say).
  // A symlink does not count: busybox applet links (dpkg, say) are no real tool.
  std::string unless_present;
};

// In the order they are tried: an entry counts for the first rule that matches it.
const std::vector<StripRule>& default_strip_rules();

// Globs never removed, by the built-in rules or the config's.
const std::vector<std::string>& default_keep_patterns();

// One rule per glob of the config's `strip`, named after it, tried after the built-ins.
std::vector<StripRule> custom_strip_rules(const std::vector<std::string>& globs);

}  // namespace berth::fs_squashfs
