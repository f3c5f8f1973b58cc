#include "grub_tree.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::boot_grub2 {

namespace {

// grub-common has grub-mkimage; the two -bin packages have the BIOS and UEFI modules.
const std::vector<std::string> kPackages = {"grub-common", "grub-pc-bin", "grub-efi-amd64-bin"};

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error(file.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What the unpacked tree was made from; a tree from the same packages is reused.
std::string package_stamp(std::vector<sdk::FetchedPackage> packages) {
  std::sort(packages.begin(), packages.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::string stamp;
  for (const auto& package : packages) stamp += package.name + " " + package.version + "\n";
  return stamp;
}

// Unpacks the packages into `root`, unless it already holds exactly these versions.
void unpack(sdk::BuildContext& ctx, const std::vector<sdk::FetchedPackage>& packages,
            const fs::path& root) {
  const fs::path stamp_file = root.string() + ".packages";
  const std::string stamp = package_stamp(packages);
  if (fs::is_regular_file(stamp_file) && fs::is_directory(root) && read_file(stamp_file) == stamp) {
    return;
  }
  fs::remove(stamp_file);
  fs::remove_all(root);
  for (const auto& package : packages) ctx.extract_deb(package.deb, root);
  std::ofstream(stamp_file, std::ios::binary) << stamp;
}

// libc6's dynamic loader: under /usr/lib since the merged-/usr move, /lib before.
fs::path find_loader(const fs::path& root) {
  for (const char* dir :
       {"usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu", "usr/lib64", "lib64"}) {
    const fs::path loader = root / dir / "ld-linux-x86-64.so.2";
    if (fs::exists(loader)) return loader;
  }
  return {};
}

}  // namespace

// Why the suite's loader: the suite's grub-mkimage needs a newer glibc than an older
// build host has (trixie's needs GLIBC_2.38, Debian 12 has 2.36), and the host may have
// no GRUB at all. Running it with the host's loader fails; running it from the rootfs
// would depend on what the [bootstrap] packages and the strip rules left there. So the
// plugin fetches grub-common *with its dependencies* (libc6, liblzma5, libdevmapper, ...:
// about 20 small packages, cached like every download) into its own tree and starts
// grub-mkimage through that tree's ld-linux with --library-path: it runs the same on any
// x86-64 host whatever its glibc, and the program is exactly the suite's.
GrubTree GrubTree::prepare(sdk::BuildContext& ctx) {
  const auto& architecture = ctx.debian().architecture;
  if (architecture != "amd64") {
    throw sdk::Error("boot-grub2: [debian] architecture '" + architecture +
                     "': only amd64 media (BIOS and x86_64 UEFI) can be built");
  }

  const auto packages = ctx.fetch_packages(kPackages, true);
  GrubTree tree;
  tree.root_ = ctx.work_dir() / "grub-root";
  unpack(ctx, packages, tree.root_);

  for (const auto& package : packages) {
    // Their modules and boot images end up on the medium: they belong in the manifest.
    if (package.name == "grub-pc-bin" || package.name == "grub-efi-amd64-bin") {
      tree.medium_packages_.push_back(package);
    }
    if (package.name == "grub-common") tree.version_ = package.version;
  }

  tree.launcher_.loader = find_loader(tree.root_);
  if (tree.launcher_.loader.empty()) {
    throw sdk::Error("boot-grub2: libc6 from " + ctx.debian().suite +
                     " holds no ld-linux-x86-64.so.2 under " + tree.root_.string());
  }
  tree.launcher_.library_path = (tree.root_ / "usr/lib/x86_64-linux-gnu").string() + ":" +
                                (tree.root_ / "lib/x86_64-linux-gnu").string();

  for (Platform platform : {Platform::bios, Platform::efi}) {
    if (!fs::is_regular_file(tree.platform_dir(platform) / "moddep.lst")) {
      throw sdk::Error("boot-grub2: " + std::string(platform_info(platform).package) + " has no " +
                       tree.platform_dir(platform).string() + "/moddep.lst");
    }
  }

  // Fail here, naming the program, rather than with a loader error in the middle.
  std::vector<std::string> probe = launch(tree.launcher_, tree.mkimage());
  probe.emplace_back("--version");
  sdk::RunOptions capture;
  capture.capture = true;
  try {
    std::string version = ctx.run(probe, capture).output;
    while (!version.empty() && version.back() == '\n') version.pop_back();
    ctx.debug(version);
  } catch (const sdk::Error& error) {
    throw sdk::Error("boot-grub2: " + tree.mkimage().string() + " from " + ctx.debian().suite +
                     " does not run on this host: " + error.what());
  }
  return tree;
}

fs::path GrubTree::platform_dir(Platform platform) const {
  return root_ / "usr/lib/grub" / std::string(platform_info(platform).directory);
}

std::set<std::string> GrubTree::available_modules(Platform platform) const {
  return parse_moddep(read_file(platform_dir(platform) / "moddep.lst"));
}

}  // namespace berth::boot_grub2
