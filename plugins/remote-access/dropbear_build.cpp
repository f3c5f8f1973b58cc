#include "dropbear_build.hpp"

#include <string>
#include <vector>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_tree.hpp"
#include "dropbear_recipe.hpp"
#include "sha256.hpp"

namespace berth::remote_access {

namespace {

namespace fs = std::filesystem;
using image_build::sha256_hex;
using sdk::detail::capture;
using sdk::detail::trim;

// Where the check puts the program in the chroot, under both its names.
constexpr const char* kDest = "/build/dest";

// The version, dispatch and library checks, in the chroot, of what compile() put in
// /build/dest.
void check_build(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltDropbear& built) {
  const std::string dropbear = std::string(kDest) + "/usr/sbin/dropbear";
  const std::string dropbearkey = std::string(kDest) + "/usr/bin/dropbearkey";
  // dropbear says its version on stderr.
  const std::string version =
      capture(ctx, sdk::in_chroot(chroot, "/", {}, {"sh", "-c", dropbear + " -V 2>&1"}));
  if (!reports_version(version, built.source.version)) {
    throw sdk::Error("the built dropbear -V answered '" + trim(version).substr(0, 200) +
                     "', not Dropbear v" + sdk::upstream_version(built.source.version));
  }
  ctx.info("dropbear -V: " + trim(version).substr(0, 160));
  // Run as dropbearkey, the one program makes a host key as 72-ssh asks for one.
  fs::remove(chroot / "build/check-key");
  ctx.run(
      sdk::in_chroot(chroot, "/", {}, {dropbearkey, "-t", "ed25519", "-f", "/build/check-key"}));
  if (!fs::is_regular_file(chroot / "build/check-key")) {
    throw sdk::Error("the built dropbear, run as dropbearkey, made no key");
  }
  // The chroot's readelf (buildd has binutils; the build host need not).
  const std::string dynamic =
      capture(ctx, sdk::in_chroot(chroot, "/", {}, {"readelf", "-d", dropbear}));
  const auto unwanted = unwanted_libraries(dynamic);
  if (!unwanted.empty()) {
    throw sdk::Error("the built dropbear links " + unwanted.front() +
                     ": the bundled libtom build did not take");
  }
}

// localoptions.h, configure, make, and the program stripped (as dh_strip: no .comment or
// .note sections) into /build/dest as dropbear, with dropbearkey a hard link to it.
void compile(sdk::BuildContext& ctx, const fs::path& chroot, const std::vector<std::string>& flags,
             const std::string& debian_local_options) {
  sdk::detail::write_file(chroot / "build/src/localoptions.h", local_options(debian_local_options));
  std::vector<std::string> configure = {"./configure"};
  for (const auto& arg : configure_args()) configure.push_back(arg);
  ctx.run(sdk::niced(sdk::in_chroot(chroot, "/build/src", configure_env(flags), configure)));
  ctx.run(sdk::niced(sdk::in_chroot(chroot, "/build/src", {}, make_args())));
  const fs::path dest = chroot / "build/dest";
  fs::create_directories(dest / "usr/sbin");
  fs::create_directories(dest / "usr/bin");
  fs::copy_file(chroot / "build/src" / kMultiProgram, dest / "usr/sbin/dropbear");
  ctx.run(sdk::strip_in_chroot(chroot, std::string(kDest) + "/usr/sbin/dropbear"));
  fs::create_hard_link(dest / "usr/sbin/dropbear", dest / "usr/bin/dropbearkey");
}

}  // namespace

BuiltDropbear build_dropbear(sdk::BuildContext& ctx) {
  const fs::path cache = ctx.cache_dir() / "remote-access";
  const fs::path work = ctx.work_dir() / "dropbear";
  fs::create_directories(cache);
  fs::create_directories(work);

  BuiltDropbear built;
  built.source = sdk::source_of_binary(ctx, kBinaryPackage);
  ctx.info("dropbear from source: " + built.source.name + " " + built.source.version +
           ", bundled libtomcrypt and libtommath");
  sdk::SourceApt apt(ctx, cache / "apt");
  const fs::path debian = work / "debian-only";
  const auto layout = sdk::unpack_debian(ctx, apt, built.source, debian);
  const auto packages = chroot_packages(sdk::read_text(debian / "debian" / "control"));
  const fs::path options = debian / "debian" / "localoptions.h";
  const std::string debian_local_options =
      fs::is_regular_file(options) ? sdk::read_text(options) : "";
  fs::remove_all(debian);

  // One build at a time per cache: builds share the chroot's /build.
  const sdk::ExclusiveLock lock(cache / "lock");
  const auto recipe = sdk::chroot_recipe(ctx.debian(), packages);
  const fs::path chroot = sdk::build_chroot(
      ctx, recipe, cache / ("chroot-" + sha256_hex(sdk::chroot_key_text(recipe)).substr(0, 16)));

  BuildKeyParts parts;
  parts.source = built.source;
  parts.flags = sdk::debian_buildflags(ctx, chroot, buildflags_env());
  parts.debian_local_options = debian_local_options;
  parts.chroot_packages = sdk::chroot_installed(chroot);
  const std::string key_texts = key_text(parts);
  const std::string key = sha256_hex(key_texts).substr(0, 16);
  built.root = cache / ("dropbear-" + key);
  if (fs::is_regular_file(built.root / "key.txt")) {
    ctx.info("dropbear " + key + " (cached)");
    return built;
  }
  ctx.info("building dropbear " + key + " with its bundled libtomcrypt and libtommath");
  fs::remove_all(chroot / "build");
  sdk::unpack_source(ctx, apt, layout, chroot / "build" / "src");
  compile(ctx, chroot, parts.flags, debian_local_options);
  check_build(ctx, chroot, built);
  sdk::store_programs({{chroot / "build/dest/usr/sbin/dropbear", "usr/sbin/dropbear"}}, built.root,
                      key_texts);
  fs::remove_all(chroot / "build");
  return built;
}

}  // namespace berth::remote_access
