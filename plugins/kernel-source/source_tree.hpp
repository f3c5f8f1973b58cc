// Where the kernel source comes from and where it is unpacked: the Debian package's
// tarball, a tarball, or a directory, copied (never built in place, never patched in
// place) into <cache>/kernel-source/trees/<id>/src with the patches applied. The
// compiler's output goes next to it (build/), kept between builds, so a changed option
// recompiles only what depends on it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "settings.hpp"
#include "tree_lock.hpp"

namespace berth::kernel_source {

struct SourceTree {
  std::string id;                // names the tree; part of the cache key
  std::string label;             // for messages: the package and version, or the path
  std::filesystem::path src;     // the patched source
  std::filesystem::path objdir;  // make O=
  std::filesystem::path top;     // trees/<id>/: lock file, source.config
  std::vector<std::string> patch_hashes;
  std::optional<sdk::FetchedPackage> package;  // for the manifest
  // Held from before the unpacking to the end of the build: two builds on one tree take
  // turns (its build directory holds one .config at a time).
  std::shared_ptr<TreeLock> lock;
};

// The one linux-source-X.Y package among what apt fetched for `requested` (the
// metapackage linux-source depends on it; binutils and the like come along).
sdk::FetchedPackage pick_source_package(const std::vector<sdk::FetchedPackage>& fetched,
                                        const std::string& requested);

// "linux-source-6.12_6.12.118-1", "tarball-<16 hex>", "dir-<16 hex>", plus
// "+<16 hex of the patches>" when there are patches: safe as a directory name.
std::string tree_id(const std::string& source_id, const std::vector<std::string>& patch_hashes);

// The sha256 of a directory's contents (paths, file bytes, symlink targets; .git skipped),
// independent of where the directory is.
std::string directory_digest(const std::filesystem::path& dir);

// Fetches or reads the source, locks its tree, unpacks and patches it once per id.
SourceTree prepare_source(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::kernel_source
