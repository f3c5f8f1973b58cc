#include "path_glob.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>

namespace berth::fs_squashfs {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const auto part = path.substr(0, slash);
    if (!part.empty()) parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

PathGlob::PathGlob(std::string_view pattern) : pattern_(pattern) {
  for (auto& part : split_path(pattern)) {
    if (part == "." || part == "..") {
      throw std::invalid_argument("glob '" + pattern_ + "': '" + part +
                                  "' components are not allowed");
    }
    // "**/**" means what "**" means; one of them keeps matching linear.
    if (part == "**" && !parts_.empty() && parts_.back() == "**") continue;
    parts_.push_back(std::move(part));
  }
  if (parts_.empty()) throw std::invalid_argument("glob '" + pattern_ + "' is empty");
  if (std::all_of(parts_.begin(), parts_.end(), [](const auto& p) { return p == "**"; })) {
    throw std::invalid_argument("glob '" + pattern_ + "' would match the whole rootfs");
  }
}

bool PathGlob::matches(const std::vector<std::string>& components) const {
  return match_from(0, 0, components);
}

bool PathGlob::matches(std::string_view relative_path) const {
  return matches(split_path(relative_path));
}

bool PathGlob::match_from(std::size_t part, std::size_t component,
                          const std::vector<std::string>& components) const {
  for (; part < parts_.size(); ++part, ++component) {
    if (parts_[part] == "**") {
      // Try every split: "**" takes none, one, two... of the remaining components.
      for (std::size_t next = component; next <= components.size(); ++next) {
        if (match_from(part + 1, next, components)) return true;
      }
      return false;
    }
    if (component == components.size()) return false;
    if (::fnmatch(parts_[part].c_str(), components[component].c_str(), 0) != 0) return false;
  }
  return component == components.size();
}

}  // namespace berth::fs_squashfs
