#include "cryptsetup_build.hpp"

#include <map>
#include <vector>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_tree.hpp"
#include "cryptsetup_recipe.hpp"
#include "sha256.hpp"

namespace berth::crypt_luks {

namespace {

namespace fs = std::filesystem;
using image_build::sha256_hex;
using sdk::detail::capture;
using sdk::detail::trim;

// The installed names of the library in `dir`: libcryptsetup.so.12 (a link) and the file.
std::vector<fs::path> library_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("libcryptsetup.so.12", 0) == 0) {
      entries.push_back(entry.path());
    }
  }
  if (entries.empty()) throw sdk::Error("the cryptsetup build installed no libcryptsetup.so.12");
  return entries;
}

// The version and backend checks, in the chroot, of what `make install` put in /build/dest.
void check_build(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltCryptsetup& built,
                 const fs::path& library) {
  const std::string libdir = "/build/dest/usr/lib/" + built.multiarch;
  const std::string version =
      capture(ctx, sdk::in_chroot(chroot, "/", {"LD_LIBRARY_PATH=" + libdir},
                                  {"/build/dest/usr/sbin/cryptsetup", "--version"}));
  if (!reports_version(version, built.source.version)) {
    throw sdk::Error("the built cryptsetup --version answered '" + trim(version).substr(0, 200) +
                     "', not " + sdk::upstream_version(built.source.version));
  }
  ctx.info("cryptsetup --version: " + trim(version).substr(0, 160));
  // The chroot's readelf (buildd has binutils; the build host need not).
  const std::string dynamic =
      capture(ctx, sdk::in_chroot(chroot, "/", {},
                                  {"readelf", "-d", libdir + "/" + library.filename().string()}));
  const auto foreign = userspace_crypto_libraries(dynamic);
  if (!foreign.empty()) {
    throw sdk::Error("the built libcryptsetup links " + foreign.front() +
                     ": the kernel crypto backend was not used");
  }
  if (sdk::read_text(library).find(kKernelBackendName) == std::string::npos) {
    throw sdk::Error("the built libcryptsetup has no kernel crypto backend");
  }
  // The backend at work: where the build host's kernel answers AF_ALG, the library says
  // which backend it initialized (a build host without AF_ALG, e.g. a microVM's kernel,
  // cannot: the static checks above stand for it, and the VM tests open LUKS2 for real).
  sdk::RunOptions options;
  options.capture = true;
  options.check = false;
  const auto debug = ctx.run(sdk::in_chroot(chroot, "/", {"LD_LIBRARY_PATH=" + libdir},
                                            {"/build/dest/usr/sbin/cryptsetup", "--debug",
                                             "benchmark", "--pbkdf", "pbkdf2", "--hash", "sha256"}),
                             options);
  const auto line = backend_line(debug.output);
  if (line.empty()) {
    ctx.info("the build host's kernel has no AF_ALG: the backend is checked by its library");
  } else if (line.find(kKernelBackendName) == std::string::npos) {
    throw sdk::Error("the built cryptsetup initialized '" + line.substr(0, 160) +
                     "', not the kernel crypto backend");
  } else {
    ctx.info("cryptsetup: " + line.substr(0, 160));
  }
}

// configure, make, make install and strip (as dh_strip: no .comment or .note sections,
// the library without the symbols it does not export), in the chroot's /build.
void compile(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltCryptsetup& built,
             const std::vector<std::string>& flags) {
  ctx.run(
      sdk::niced(sdk::in_chroot(chroot, "/build/src", {}, {"autoreconf", "--force", "--install"})));
  std::vector<std::string> configure = {"./configure"};
  for (const auto& arg : configure_args(built.multiarch)) configure.push_back(arg);
  ctx.run(sdk::niced(sdk::in_chroot(chroot, "/build/src", flags, configure)));
  // Only the program and its library: the tests' and translations' directories need a
  // /proc the chroot does not have, and Berth ships neither.
  ctx.run(sdk::niced(sdk::in_chroot(chroot, "/build/src", {}, {"make", "-j2", "cryptsetup"})));
  ctx.run(sdk::in_chroot(
      chroot, "/build/src", {},
      {"make", "install-libLTLIBRARIES", "install-sbinPROGRAMS", "DESTDIR=/build/dest"}));
  ctx.run(sdk::strip_in_chroot(chroot, "/build/dest/usr/sbin/cryptsetup"));
  for (const auto& entry : library_entries(chroot / "build/dest/usr/lib" / built.multiarch)) {
    if (fs::is_symlink(entry)) continue;
    ctx.run(sdk::strip_in_chroot(
        chroot, "/build/dest/usr/lib/" + built.multiarch + "/" + entry.filename().string(),
        {"--strip-unneeded"}));
  }
}

// The program and the library's names into `result` (made whole, then renamed), with
// Debian's modes: 0755 for the program, 0644 for the library.
void keep_result(const fs::path& chroot, const BuiltCryptsetup& built, const fs::path& result,
                 const std::string& key) {
  const fs::path partial = result.string() + ".partial";
  fs::remove_all(partial);
  const fs::path dest = chroot / "build" / "dest";
  fs::create_directories(partial / "usr/sbin");
  fs::copy_file(dest / "usr/sbin/cryptsetup", partial / "usr/sbin/cryptsetup");
  fs::permissions(partial / "usr/sbin/cryptsetup", fs::perms(0755));
  const fs::path libdir = fs::path("usr/lib") / built.multiarch;
  fs::create_directories(partial / libdir);
  for (const auto& entry : library_entries(dest / libdir)) {
    const fs::path target = partial / libdir / entry.filename();
    if (fs::is_symlink(entry)) {
      fs::create_symlink(fs::read_symlink(entry), target);
    } else {
      fs::copy_file(entry, target);
      fs::permissions(target, fs::perms(0644));
    }
  }
  sdk::detail::write_file(partial / "key.txt", key);
  fs::rename(partial, result);
}

}  // namespace

BuiltCryptsetup build_cryptsetup(sdk::BuildContext& ctx) {
  const fs::path cache = ctx.cache_dir() / "crypt-luks";
  const fs::path work = ctx.work_dir() / "cryptsetup";
  fs::create_directories(cache);
  fs::create_directories(work);

  BuiltCryptsetup built;
  built.source = sdk::source_of_binary(ctx, kBinaryPackage);
  ctx.info("cryptsetup from source: " + built.source.name + " " + built.source.version +
           ", kernel crypto backend");
  sdk::SourceApt apt(ctx, cache / "apt");
  const fs::path debian = work / "debian-only";
  const auto layout = sdk::unpack_debian(ctx, apt, built.source, debian);
  const auto packages = chroot_packages(sdk::read_text(debian / "debian" / "control"));
  fs::remove_all(debian);

  // One build at a time per cache: builds share the chroot's /build.
  const sdk::ExclusiveLock lock(cache / "lock");
  const auto recipe = sdk::chroot_recipe(ctx.debian(), packages);
  const fs::path chroot = sdk::build_chroot(
      ctx, recipe, cache / ("chroot-" + sha256_hex(sdk::chroot_key_text(recipe)).substr(0, 16)));
  built.multiarch = sdk::chroot_multiarch(ctx, chroot);

  BuildKeyParts parts;
  parts.source = built.source;
  parts.multiarch = built.multiarch;
  parts.flags = sdk::debian_buildflags(ctx, chroot, buildflags_env());
  parts.chroot_packages = sdk::chroot_installed(chroot);
  const std::string key_texts = key_text(parts);
  const std::string key = sha256_hex(key_texts).substr(0, 16);
  built.root = cache / ("cryptsetup-" + key);
  if (fs::is_regular_file(built.root / "key.txt")) {
    ctx.info("cryptsetup " + key + " (cached)");
    return built;
  }
  ctx.info("building cryptsetup " + key + " with the kernel crypto backend");
  fs::remove_all(chroot / "build");
  sdk::unpack_source(ctx, apt, layout, chroot / "build" / "src");
  compile(ctx, chroot, built, parts.flags);
  const auto entries = library_entries(chroot / "build/dest/usr/lib" / built.multiarch);
  fs::path library;
  for (const auto& entry : entries) {
    if (!fs::is_symlink(entry)) library = entry;
  }
  check_build(ctx, chroot, built, library);
  keep_result(chroot, built, built.root, key_texts);
  fs::remove_all(chroot / "build");
  return built;
}

}  // namespace berth::crypt_luks
