// Debian source packages of the configured archive, downloaded: apt with deb-src lines of
// the [debian] sources, in a directory of its own under the cache (the host's apt
// configuration is never read or changed), every file checked against the SHA-256 of the
// signed index. engine-docker builds Docker from them, crypt-luks cryptsetup.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/private_apt.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::sdk {

namespace detail {

inline std::string trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t\n"));
  text.erase(text.find_last_not_of(" \t\n") + 1);
  return text;
}

// A program's standard output (run as every ctx.run: no shell, Error on failure).
inline std::string capture(BuildContext& ctx, const std::vector<std::string>& argv) {
  RunOptions options;
  options.capture = true;
  return ctx.run(argv, options).output;
}

inline void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
  if (!out) throw Error("cannot write " + file.string());
}

}  // namespace detail

// The SHA-256 of a file, lower-case hex, by coreutils' sha256sum (the SDK links no
// crypto library). Error when its answer is not 64 hex digits.
inline std::string file_sha256(BuildContext& ctx, const std::filesystem::path& file) {
  const std::string output = detail::capture(ctx, {"sha256sum", "--", file.string()});
  const std::string hex = output.substr(0, 64);
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw Error("sha256sum " + file.string() + ": unexpected answer");
  }
  return hex;
}

// The source package the configured suites' binary package came from (its version as
// the archive has it: a binNMU's source, a renamed binary's source).
inline SourceRef source_of_binary(BuildContext& ctx, const std::string& binary) {
  const auto fetched = ctx.fetch_packages({binary}, false);
  if (fetched.empty()) throw Error("apt found no " + binary);
  const auto& package = fetched.front();
  const std::string field =
      detail::trim(detail::capture(ctx, {"dpkg-deb", "-f", package.deb.string(), "Source"}));
  return source_of(package.name, package.version, field);
}

// apt with deb-src lines of the [debian] sources under `root` (made if missing).
class SourceApt {
 public:
  SourceApt(BuildContext& ctx, std::filesystem::path root) : ctx_(ctx), root_(std::move(root)) {
    prepare_private_apt(root_);
    std::filesystem::create_directories(root_ / "files");
    std::ostringstream list;
    const auto& debian = ctx.debian();
    for (const auto& source : debian.sources) {
      list << "deb-src [signed-by=" << debian.keyring.string() << "] " << source.uri << " "
           << source.suite;
      if (source.components.empty()) list << " main";
      for (const auto& component : source.components) list << " " << component;
      list << "\n";
    }
    detail::write_file(root_ / "etc" / "sources.list", list.str());
  }

  // The source's files in <root>/files, each checked against the index's SHA-256. The
  // file list apt gave is kept next to them: a source already downloaded needs no index.
  std::vector<SourceDownload> download(const SourceRef& source) {
    namespace fs = std::filesystem;
    const fs::path record = root_ / "files" / (source.name + "_" + source.version + ".uris");
    if (fs::is_regular_file(record)) {
      auto files = parse_print_uris(read_text(record));
      if (std::all_of(files.begin(), files.end(), [&](const SourceDownload& file) {
            return needless(file) || present(file);
          })) {
        return files;
      }
    }
    if (!updated_) ctx_.run(argv({"update"}));
    updated_ = true;
    const std::string uris = detail::capture(
        ctx_, argv({"-qq", "source", "--print-uris", source.name + "=" + source.version}));
    const auto files = parse_print_uris(uris);
    std::vector<std::string> alternatives;  // asked for once, at the first failed download
    bool asked = false;
    for (const auto& file : files) {
      if (needless(file) || present(file)) continue;
      if (fetch(file.uri, file)) continue;
      // apt names one index's pool; the same version may be listed by another suite whose
      // pool holds the file (the point release's and the security archive's).
      if (!asked) alternatives = directories(source);
      asked = true;
      bool fetched = false;
      for (const auto& uri : alternative_uris(file.uri, bases(), alternatives)) {
        if ((fetched = fetch(uri, file))) break;
      }
      if (!fetched) {
        throw Error("cannot download " + file.file + " of " + source.name + " " + source.version +
                    " from " + file.uri + " or any other pool listing it");
      }
    }
    detail::write_file(record, uris);
    return files;
  }

  std::filesystem::path file(const std::string& name) const { return root_ / "files" / name; }

 private:
  std::vector<std::string> argv(const std::vector<std::string>& command) const {
    std::vector<std::string> out = {"apt-get"};
    const auto options = private_apt_options(root_);
    out.insert(out.end(), options.begin(), options.end());
    out.insert(out.end(), {"-o", "Acquire::Languages=none"});
    out.insert(out.end(), command.begin(), command.end());
    return out;
  }

  // One download, checked against the index's SHA-256; false when it fails.
  bool fetch(const std::string& uri, const SourceDownload& download) {
    RunOptions options;
    options.check = false;
    return ctx_.run({"/usr/lib/apt/apt-helper", "download-file", uri, file(download.file).string(),
                     "SHA256:" + download.sha256},
                    options)
               .exit_code == 0;
  }

  // The pools of every index that lists this version (apt-cache showsrc).
  std::vector<std::string> directories(const SourceRef& source) const {
    std::vector<std::string> command = {"apt-cache"};
    const auto options = private_apt_options(root_);
    command.insert(command.end(), options.begin(), options.end());
    command.insert(command.end(), {"showsrc", "--only-source", source.name});
    return source_directories(detail::capture(ctx_, command), source.version);
  }

  // The configured archives' URIs, each once.
  std::vector<std::string> bases() const {
    std::vector<std::string> uris;
    for (const auto& source : ctx_.debian().sources) {
      if (std::find(uris.begin(), uris.end(), source.uri) == uris.end()) uris.push_back(source.uri);
    }
    return uris;
  }

  bool present(const SourceDownload& download) {
    const auto path = file(download.file);
    return std::filesystem::is_regular_file(path) && file_sha256(ctx_, path) == download.sha256;
  }

  // The .dsc is not needed (apt checked every file against the signed index), and a
  // mirror may not even serve it.
  static bool needless(const SourceDownload& file) { return detail::ends_with(file.file, ".dsc"); }

  BuildContext& ctx_;
  std::filesystem::path root_;
  bool updated_ = false;
};

}  // namespace berth::sdk
