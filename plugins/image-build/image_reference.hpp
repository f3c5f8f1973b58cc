// Docker's rules for image names (the distribution reference grammar), and the names
// derived from one: the reference index.json carries, the archive's file name, the
// cache entry's name.
#pragma once

#include <optional>
#include <string>

namespace berth::image_build {

// Why `repository` is not a name Docker accepts ("berth/xpra", "localhost:5000/x"), if it
// is not: lower-case path components of [a-z0-9] joined by '.', '_', '__' or runs of '-';
// an optional registry host (holding '.' or ':', or "localhost") before the first '/'.
std::optional<std::string> repository_problem(const std::string& repository);

// Why `tag` is not a Docker tag, if it is not: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
std::optional<std::string> tag_problem(const std::string& tag);

// "berth/xpra", "3.1" -> "docker.io/berth/xpra:3.1"; "xterm" -> "docker.io/library/xterm:..."
// A name that starts with a registry host stays as it is.
std::string full_reference(const std::string& repository, const std::string& tag);

// The last path component: "berth/xpra" -> "xpra" (the archive is xpra.tar.zst).
std::string last_component(const std::string& repository);

// '/' and ':' as '-': "berth/xpra" -> "berth-xpra" (a file name).
std::string dashed(const std::string& repository);

}  // namespace berth::image_build
