// GRUB from the configured Debian suite (not from the host): its modules and boot images,
// and a grub-mkimage that runs on the build host.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "commands.hpp"
#include "grub_modules.hpp"

namespace berth::boot_grub2 {

namespace fs = std::filesystem;

class GrubTree {
 public:
  // Downloads (or reuses from the cache) GRUB and the libraries grub-mkimage links to,
  // unpacks them under the plugin's work directory and checks that grub-mkimage runs.
  static GrubTree prepare(sdk::BuildContext& ctx);

  const fs::path& root() const { return root_; }
  fs::path platform_dir(Platform platform) const;
  fs::path mkimage() const { return root_ / "usr/bin/grub-mkimage"; }
  fs::path boot_hybrid() const { return platform_dir(Platform::bios) / "boot_hybrid.img"; }
  const Launcher& launcher() const { return launcher_; }
  const std::string& version() const { return version_; }  // e.g. 2.12-9+deb13u4
  // grub-pc-bin and grub-efi-amd64-bin, whose files the medium holds.
  const std::vector<sdk::FetchedPackage>& medium_packages() const { return medium_packages_; }
  // The module names moddep.lst lists for `platform`.
  std::set<std::string> available_modules(Platform platform) const;

 private:
  fs::path root_;
  Launcher launcher_;
  std::string version_;
  std::vector<sdk::FetchedPackage> medium_packages_;
};

}  // namespace berth::boot_grub2
