#include "image_tree.hpp"

#include "berth/sdk/error.hpp"

namespace berth::image_build {
namespace {

void remove_contents(const fs::path& dir) {
  if (!fs::is_directory(fs::symlink_status(dir))) return;
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove_all(entry.path());
}

}  // namespace

void prune_image_tree(const fs::path& tree) {
  if (!fs::is_directory(tree)) throw sdk::Error("image tree " + tree.string() + " is missing");
  fs::remove_all(tree / "var/cache/apt");
  fs::remove_all(tree / "var/lib/apt/lists");
  remove_contents(tree / "var/log");
  remove_contents(tree / "dev");
  fs::remove(tree / "etc/hostname");
  fs::remove(tree / "etc/resolv.conf");
}

void ensure_tmp(const fs::path& tree) {
  const fs::path tmp = tree / "tmp";
  const auto status = fs::symlink_status(tmp);
  if (fs::exists(status) && !fs::is_directory(status)) {
    throw sdk::Error(tmp.string() + " is not a directory");
  }
  fs::create_directories(tmp);
  fs::permissions(tmp, fs::perms::all | fs::perms::sticky_bit, fs::perm_options::replace);
}

}  // namespace berth::image_build
