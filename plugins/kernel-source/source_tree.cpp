#include "source_tree.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>

#include "berth/sdk/error.hpp"
#include "sha256.hpp"

namespace berth::kernel_source {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSourcePrefix = "linux-source-";

bool is_versioned_source(const std::string& name) {
  return name.starts_with(kSourcePrefix) && name.size() > kSourcePrefix.size() &&
         std::isdigit(static_cast<unsigned char>(name[kSourcePrefix.size()])) != 0;
}

fs::path resolve(const std::string& path, const fs::path& base) {
  const fs::path given(path);
  return given.is_absolute() ? given : base / given;
}

// A directory's single subdirectory (a tarball's linux-6.12/), or the directory itself.
fs::path top_of(const fs::path& unpacked) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(unpacked)) entries.push_back(entry.path());
  if (entries.size() == 1 && fs::is_directory(fs::symlink_status(entries.front()))) {
    return entries.front();
  }
  return unpacked;
}

void require_kernel_tree(const fs::path& src, const std::string& label) {
  if (!fs::is_regular_file(src / "Makefile") || !fs::is_directory(src / "arch/x86")) {
    throw sdk::Error(label + ": not a Linux source tree (no Makefile and arch/x86 at its top)");
  }
}

// Copies `from` into `to` without .git and without following symlinks out of the tree.
void copy_source_dir(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path rel = fs::relative(it->path(), from);
    if (it->path().filename() == ".git") {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    const auto status = it->symlink_status();
    if (fs::is_symlink(status)) {
      fs::create_symlink(fs::read_symlink(it->path()), to / rel);
    } else if (fs::is_directory(status)) {
      fs::create_directories(to / rel);
    } else if (fs::is_regular_file(status)) {
      fs::copy_file(it->path(), to / rel);
    }
  }
}

// Unpacks into trees/<id>/ under a temporary name and renames, so a half-unpacked tree
// never looks finished.
template <typename Fill>
void unpack_once(const fs::path& src, Fill fill) {
  if (fs::exists(src / "Makefile")) return;
  const fs::path staging = src.parent_path() / "src.partial";
  fs::remove_all(staging);
  fs::remove_all(src);
  fs::create_directories(staging);
  const fs::path top = fill(staging);
  fs::rename(top, src);
  fs::remove_all(staging);
}

void apply_patches(sdk::BuildContext& ctx, const fs::path& tree,
                   const std::vector<fs::path>& patches) {
  for (const auto& patch : patches) {
    sdk::RunOptions options;
    options.cwd = tree;
    options.capture = true;
    options.check = false;
    auto result =
        ctx.run({"patch", "-p1", "--batch", "--forward", "--quiet", "-i", patch.string()}, options);
    if (result.exit_code != 0) {
      throw sdk::Error("patch " + patch.string() + " does not apply to the kernel source");
    }
  }
}

}  // namespace

sdk::FetchedPackage pick_source_package(const std::vector<sdk::FetchedPackage>& fetched,
                                        const std::string& requested) {
  std::vector<sdk::FetchedPackage> sources;
  for (const auto& package : fetched) {
    if (is_versioned_source(package.name)) sources.push_back(package);
  }
  if (sources.size() != 1) {
    std::string names;
    for (const auto& package : (sources.empty() ? fetched : sources)) {
      names += (names.empty() ? "" : ", ") + package.name;
    }
    throw sdk::Error("package " + requested + " brought " +
                     (sources.empty() ? "no linux-source-X.Y package (got " + names + ")"
                                      : "several kernel sources (" + names +
                                            "); name one of them in [kernel] package"));
  }
  return sources.front();
}

std::string tree_id(const std::string& source_id, const std::vector<std::string>& patch_hashes) {
  std::string id;
  for (char c : source_id) {
    id += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
           c == '+')
              ? c
              : '_';
  }
  if (patch_hashes.empty()) return id;
  image_build::Sha256 hash;
  for (const auto& patch : patch_hashes) hash.update(patch + "\n");
  return id + "+" + hash.hex().substr(0, 16);
}

std::string directory_digest(const fs::path& dir) {
  std::vector<fs::path> entries;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename() == ".git") {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    entries.push_back(fs::relative(it->path(), dir));
  }
  std::sort(entries.begin(), entries.end());
  image_build::Sha256 hash;
  for (const auto& rel : entries) {
    const auto status = fs::symlink_status(dir / rel);
    if (fs::is_symlink(status)) {
      hash.update("link " + rel.string() + " -> " + fs::read_symlink(dir / rel).string() + "\n");
    } else if (fs::is_regular_file(status)) {
      hash.update("file " + rel.string() + " " + image_build::sha256_file_hex(dir / rel) + "\n");
    } else if (fs::is_directory(status)) {
      hash.update("dir " + rel.string() + "\n");
    }
  }
  return hash.hex();
}

SourceTree prepare_source(sdk::BuildContext& ctx, const Settings& settings) {
  SourceTree tree;
  std::vector<fs::path> patches;
  for (const auto& patch : settings.patches) {
    const fs::path file = resolve(patch, ctx.config_dir());
    if (!fs::is_regular_file(file)) ctx.config().fail("patches", file.string() + " is not a file");
    patches.push_back(file);
    tree.patch_hashes.push_back(image_build::sha256_file_hex(file));
  }

  std::string source_id;
  std::function<fs::path(const fs::path&)> fill;
  if (settings.source.empty()) {
    const auto fetched = ctx.fetch_packages({settings.package}, true);
    const auto package = pick_source_package(fetched, settings.package);
    tree.package = package;
    tree.label = package.name + " " + package.version;
    source_id = package.name + "_" + package.version;
    fill = [&ctx, package](const fs::path& staging) {
      const fs::path unpacked = staging / "deb";
      ctx.extract_deb(package.deb, unpacked);
      std::vector<fs::path> tarballs;
      for (const auto& entry : fs::directory_iterator(unpacked / "usr/src")) {
        if (entry.path().filename().string().ends_with(".tar.xz")) tarballs.push_back(entry.path());
      }
      if (tarballs.size() != 1) {
        throw sdk::Error(package.name + ": expected one usr/src/*.tar.xz, found " +
                         std::to_string(tarballs.size()));
      }
      const fs::path out = staging / "tree";
      fs::create_directories(out);
      ctx.run({"tar", "-xf", tarballs.front().string(), "-C", out.string()});
      fs::remove_all(unpacked);  // 150 MB of tarball
      return top_of(out);
    };
  } else {
    const fs::path path = resolve(settings.source, ctx.config_dir());
    tree.label = path.string();
    if (fs::is_directory(path)) {
      source_id = "dir-" + directory_digest(path).substr(0, 16);
      fill = [path](const fs::path& staging) {
        copy_source_dir(path, staging / "tree");
        return staging / "tree";
      };
    } else if (fs::is_regular_file(path)) {
      const std::string digest = image_build::sha256_file_hex(path);
      if (!settings.sha256.empty() && digest != settings.sha256) {
        ctx.config().fail("sha256",
                          path.string() + " has sha256 " + digest + ", not " + settings.sha256);
      }
      source_id = "tarball-" + digest.substr(0, 16);
      fill = [&ctx, path](const fs::path& staging) {
        const fs::path out = staging / "tree";
        fs::create_directories(out);
        ctx.run({"tar", "-xf", path.string(), "-C", out.string(), "--no-same-owner"});
        return top_of(out);
      };
    } else {
      ctx.config().fail("source", path.string() + " is neither a tarball nor a directory");
    }
  }

  tree.id = tree_id(source_id, tree.patch_hashes);
  tree.top = ctx.cache_dir() / "kernel-source" / "trees" / tree.id;
  tree.src = tree.top / "src";
  tree.objdir = tree.top / "build";
  fs::create_directories(tree.top);
  tree.lock = std::make_shared<TreeLock>(tree.top / "lock");
  unpack_once(tree.src, [&](const fs::path& staging) {
    ctx.info("unpacking the kernel source (" + tree.label + ") into " + tree.top.string());
    const fs::path top = fill(staging);
    require_kernel_tree(top, tree.label);
    // A configured tree cannot be built with O=: keep its .config for base = "source",
    // then clean it as `make mrproper` would.
    if (fs::exists(top / ".config")) {
      fs::copy_file(top / ".config", tree.top / "source.config",
                    fs::copy_options::overwrite_existing);
      ctx.run({"make", "-s", "-C", top.string(), "mrproper"});
    }
    apply_patches(ctx, top, patches);
    return top;
  });
  require_kernel_tree(tree.src, tree.label);
  return tree;
}

}  // namespace berth::kernel_source
