#include "cryptsetup_install.hpp"

#include <sstream>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/source_apt.hpp"
#include "cryptsetup_recipe.hpp"

namespace berth::crypt_luks {

namespace {

namespace fs = std::filesystem;

// Debian's libargon2-1 into the rootfs, as the archive has it (the library the built one
// links; Debian's cryptsetup takes argon2 from OpenSSL and so brings none). Its files'
// rootfs paths, for the owners list.
std::vector<std::string> install_argon2(sdk::BuildContext& ctx) {
  const auto fetched = ctx.fetch_packages({kArgon2Package}, false);
  if (fetched.empty()) throw sdk::Error(std::string("apt found no ") + kArgon2Package);
  const fs::path unpacked = ctx.work_dir() / "argon2";
  fs::remove_all(unpacked);
  fs::create_directories(unpacked);
  ctx.extract_deb(fetched.front().deb, unpacked);
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(unpacked)) {
    if (!entry.is_directory()) files.push_back(fs::relative(entry.path(), unpacked).string());
  }
  ctx.copy_tree(unpacked, ctx.rootfs());
  ctx.record_packages({fetched.front()});
  fs::remove_all(unpacked);
  return files;
}

}  // namespace

void install_built_cryptsetup(sdk::BuildContext& ctx, const BuiltCryptsetup& built) {
  const fs::path root = ctx.rootfs();
  const std::string libdir = "/usr/lib/" + built.multiarch;
  // Debian's library names go first: a name the build does not make must not stay behind
  // pointing at Debian's file.
  const fs::path rootfs_libdir = sdk::place_in_root(root, libdir);
  if (fs::is_directory(rootfs_libdir)) {
    for (const auto& entry : fs::directory_iterator(rootfs_libdir)) {
      if (entry.path().filename().string().rfind("libcryptsetup.so.12", 0) == 0) {
        fs::remove(entry.path());
      }
    }
  }
  std::ostringstream owners;
  std::uintmax_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(built.root / ("." + libdir))) {
    const std::string name = libdir + "/" + entry.path().filename().string();
    sdk::replace_in_root(root, name, entry.path());
    owners << name.substr(1) << '\t' << kBuiltOwner << '\n';
    if (!fs::is_symlink(entry.path())) bytes += fs::file_size(entry.path());
  }
  sdk::replace_in_root(root, "/usr/sbin/cryptsetup", built.root / "usr/sbin/cryptsetup");
  owners << "usr/sbin/cryptsetup\t" << kBuiltOwner << '\n';
  bytes += fs::file_size(built.root / "usr/sbin/cryptsetup");
  for (const auto& file : install_argon2(ctx)) owners << file << '\t' << kArgon2Package << '\n';

  const fs::path list = ctx.work_dir() / "file-owners.txt";
  sdk::detail::write_file(list, owners.str());
  sdk::append_fact(ctx, sdk::facts::kFileOwners, list.string());
  ctx.report_size("crypt-luks: cryptsetup (kernel crypto)", bytes);
  ctx.info("cryptsetup " + built.source.version +
           " with the kernel crypto backend: " + std::to_string(bytes) + " bytes");
}

}  // namespace berth::crypt_luks
