// The stamp that lets a rebuild keep the rootfs instead of extracting it again.
//
// Written last, after the rootfs is finished; it holds the request (tool, rootfs path,
// inputs), the packages recorded, and a fingerprint of the tree: every entry's path,
// type, mode, owner, size, inode, mtime and ctime. The later stages of a build change
// the rootfs in place (customize adds files, strip removes them), and any such change
// moves a ctime, which no tool can set back; so a matching fingerprint means nobody
// touched the tree since the bootstrap finished, and only then is it reused.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

struct Stamp {
  std::string request;      // multi-line: tool, rootfs path, describe_inputs()
  std::string fingerprint;  // tree_fingerprint() of the finished rootfs
  std::vector<sdk::FetchedPackage> packages;
};

std::string tree_fingerprint(const std::filesystem::path& root);

std::string render_stamp(const Stamp& stamp);
// nullopt for anything that is not a complete stamp of this format.
std::optional<Stamp> parse_stamp(const std::string& text);

}  // namespace berth::bootstrap
