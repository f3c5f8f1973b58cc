// A build chroot: mmdebstrap's buildd variant (Essential, apt, build-essential) of the
// configured archive plus the packages a source build needs, made once and kept under the
// cache, named by the command line that makes it; and the commands run in it. engine-docker
// compiles Docker in one, crypt-luks cryptsetup in another, remote-access dropbear in a third,
// import-docker jq in a fourth.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/source_apt.hpp"

namespace berth::sdk {

struct ChrootRecipe {
  std::string architecture;
  std::string suite;
  std::string keyring;
  std::vector<AptSource> sources;
  std::vector<std::string> packages;  // installed beside the buildd set, in this order
};

// The recipe for the build's own archive ([debian]: suite, architecture, keyring, sources).
inline ChrootRecipe chroot_recipe(const DebianSources& debian, std::vector<std::string> packages) {
  return {debian.architecture, debian.suite, debian.keyring.string(), debian.sources,
          std::move(packages)};
}

// mmdebstrap's command line that makes the chroot in `target`.
inline std::vector<std::string> chroot_argv(const ChrootRecipe& recipe, const std::string& target) {
  if (recipe.packages.empty()) throw Error("the build chroot has no packages");
  if (recipe.sources.empty()) throw Error("[debian] has no sources");
  std::string include;
  for (const auto& package : recipe.packages) include += (include.empty() ? "" : ",") + package;
  std::vector<std::string> argv = {
      "mmdebstrap",
      // Essential, apt and build-essential: a Debian build environment.
      "--variant=buildd",
      "--mode=root",
      "--format=directory",
      "--architectures=" + recipe.architecture,
      "--keyring=" + recipe.keyring,
      "--aptopt=Acquire::Languages \"none\"",
      // No documentation: the chroot only compiles.
      "--dpkgopt=path-exclude=/usr/share/doc/*",
      "--dpkgopt=path-exclude=/usr/share/man/*",
      "--include=" + include,
      recipe.suite,
      target,
  };
  for (const auto& source : recipe.sources) {
    std::string line = "deb [arch=" + recipe.architecture + "] " + source.uri + " " + source.suite;
    if (source.components.empty()) line += " main";
    for (const auto& component : source.components) line += " " + component;
    argv.push_back(line);
  }
  return argv;
}

// What names a chroot in the cache: its command line with a fixed target, one word a line
// (the caller hashes it into the directory's name).
inline std::string chroot_key_text(const ChrootRecipe& recipe) {
  std::string text;
  for (const auto& word : chroot_argv(recipe, "TARGET")) text += word + "\n";
  return text;
}

// The file in a finished chroot that lists its packages (name=version, one a line): what
// a result's cache key names, and the mark that the chroot is complete.
inline constexpr const char* kChrootPackages = "berth-packages.list";

// The chroot at `dir`, from the cache when it is complete, else made now (in
// `dir`.partial, renamed when done, so an interrupted build leaves no half chroot).
inline std::filesystem::path build_chroot(BuildContext& ctx, const ChrootRecipe& recipe,
                                          const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (fs::is_regular_file(dir / kChrootPackages)) {
    ctx.info("build chroot " + dir.filename().string() + " (cached)");
    return dir;
  }
  const fs::path partial = dir.string() + ".partial";
  fs::remove_all(partial);
  ctx.info("making the build chroot (" + std::to_string(recipe.packages.size()) +
           " Build-Depends)");
  ctx.run(chroot_argv(recipe, partial.string()));
  const std::string installed = detail::capture(
      ctx, {"chroot", partial.string(), "dpkg-query", "-W", "-f", "${Package}=${Version}\\n"});
  detail::write_file(partial / kChrootPackages, installed);
  fs::rename(partial, dir);
  return dir;
}

// Built programs stored as a cache entry: each built file (first) copied to its path
// under `result` (second, relative) with mode 0755, and key.txt beside them; written to
// RESULT.partial, then renamed, so an entry is whole or absent.
inline void store_programs(
    const std::vector<std::pair<std::filesystem::path, std::string>>& programs,
    const std::filesystem::path& result, const std::string& key_text) {
  namespace fs = std::filesystem;
  const fs::path partial = result.string() + ".partial";
  fs::remove_all(partial);
  for (const auto& [built, path] : programs) {
    const fs::path target = partial / path;
    fs::create_directories(target.parent_path());
    fs::copy_file(built, target);
    fs::permissions(target, fs::perms(0755));
  }
  detail::write_file(partial / "key.txt", key_text);
  fs::rename(partial, result);
}

// The package list of a finished chroot (kChrootPackages), one name=version a line: what a
// build's cache key names.
inline std::vector<std::string> chroot_installed(const std::filesystem::path& chroot) {
  std::vector<std::string> packages;
  std::istringstream lines(read_text(chroot / kChrootPackages));
  for (std::string line; std::getline(lines, line);) packages.push_back(line);
  return packages;
}

// A command in the chroot with only the environment given (nothing of the host's: a fixed
// PATH, no HOME, the C.UTF-8 locale), from `dir` inside it.
inline std::vector<std::string> in_chroot(const std::filesystem::path& chroot,
                                          const std::string& dir,
                                          const std::vector<std::string>& env,
                                          const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"chroot",
                                   chroot.string(),
                                   "env",
                                   "-i",
                                   "-C",
                                   dir,
                                   "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                   "HOME=/nonexistent",
                                   "LC_ALL=C.UTF-8"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

// strip(1) in the chroot as dh_strip runs it: symbols and the .comment and .note sections
// go; `options` come before `file` (--strip-unneeded for a shared library). `file` is a
// path inside the chroot.
inline std::vector<std::string> strip_in_chroot(const std::filesystem::path& chroot,
                                                const std::string& file,
                                                const std::vector<std::string>& options = {}) {
  std::vector<std::string> command = {"strip", "--remove-section=.comment",
                                      "--remove-section=.note"};
  command.insert(command.end(), options.begin(), options.end());
  command.push_back(file);
  return in_chroot(chroot, "/", {}, command);
}

// CFLAGS, CPPFLAGS and LDFLAGS ("CFLAGS=-g -O2 ...") as a debian/rules has dpkg-buildflags
// make them, `env` being what the rules export first (DEB_BUILD_MAINT_OPTIONS=...).
inline std::vector<std::string> debian_buildflags(BuildContext& ctx,
                                                  const std::filesystem::path& chroot,
                                                  const std::vector<std::string>& env) {
  std::vector<std::string> flags;
  for (const char* name : {"CFLAGS", "CPPFLAGS", "LDFLAGS"}) {
    const auto value = detail::trim(
        detail::capture(ctx, in_chroot(chroot, "/", env, {"dpkg-buildflags", "--get", name})));
    flags.push_back(std::string(name) + "=" + value);
  }
  return flags;
}

// The chroot's multiarch name (x86_64-linux-gnu), from dpkg-architecture; Error when it
// gives none or one that is not a plain name.
inline std::string chroot_multiarch(BuildContext& ctx, const std::filesystem::path& chroot) {
  const std::string multiarch = detail::trim(detail::capture(
      ctx, in_chroot(chroot, "/", {}, {"dpkg-architecture", "-qDEB_HOST_MULTIARCH"})));
  if (multiarch.empty() || multiarch.find('/') != std::string::npos) {
    throw Error("dpkg-architecture gave no multiarch name");
  }
  return multiarch;
}

// `argv` at the lowest CPU priority: a long compile beside the rest of the machine.
inline std::vector<std::string> niced(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"nice", "-n", "19"});
  return argv;
}

}  // namespace berth::sdk
