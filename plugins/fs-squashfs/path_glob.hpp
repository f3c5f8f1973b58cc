// Globs over paths relative to the rootfs, for the strip and keep rules.
//
// A pattern is a '/'-separated path; a leading '/' is allowed and means the same. Within
// one component, '*', '?' and '[...]' work as in fnmatch(3), and a leading '.' is not
// special (var/log/* takes var/log/.keep too). A component that is exactly '**' matches
// any number of components, none included: usr/lib/**/*.a finds usr/lib/libc.a and
// usr/lib/x86_64-linux-gnu/libc.a.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::fs_squashfs {

class PathGlob {
 public:
  // Throws std::invalid_argument with a one-line reason for an empty pattern, a '.' or
  // '..' component, or a pattern made of '**' alone (it would match the whole rootfs).
  explicit PathGlob(std::string_view pattern);

  // `components` is a relative path split at '/', e.g. {"usr", "share", "doc"}.
  bool matches(const std::vector<std::string>& components) const;
  bool matches(std::string_view relative_path) const;

  const std::string& pattern() const { return pattern_; }

 private:
  bool match_from(std::size_t part, std::size_t component,
                  const std::vector<std::string>& components) const;

  std::string pattern_;
  std::vector<std::string> parts_;
};

// "a/b//c/" -> {"a", "b", "c"}
std::vector<std::string> split_path(std::string_view path);

}  // namespace berth::fs_squashfs
