#include "trust_store.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"
#include "fs_util.hpp"

namespace berth::bootstrap {

namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

// The certificates under usr/share/ca-certificates, as paths relative to it, sorted.
std::vector<std::string> packaged_certificates(const fs::path& share) {
  std::vector<std::string> names;
  if (!fs::is_directory(fs::symlink_status(share))) return names;
  for (const auto& entry : fs::recursive_directory_iterator(share)) {
    if (entry.is_symlink() || !entry.is_regular_file()) continue;
    if (entry.path().extension() != ".crt") continue;
    names.push_back(fs::relative(entry.path(), share).generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool is_pem_certificate(const std::string& text) {
  const auto begin = text.find(kBegin);
  return begin != std::string::npos && text.find(kEnd, begin) != std::string::npos;
}

void replace_link(const fs::path& link, const fs::path& target) {
  std::error_code error;
  fs::remove(link, error);
  fs::create_symlink(target, link);
}

}  // namespace

std::size_t make_trust_store(const fs::path& rootfs) {
  // Paths as the target reads them: a package's absolute link (say /etc/ssl -> /etc/pki)
  // must lead to the image's directory, not the build host's.
  const fs::path share = sdk::place_in_root(rootfs, "/usr/share/ca-certificates");
  const auto names = packaged_certificates(share);
  if (names.empty()) return 0;

  const fs::path certs = sdk::place_in_root(rootfs, "/etc/ssl/certs");
  fs::create_directories(certs);
  std::string conf =
      "# Written at build time by Berth's bootstrap (all of ca-certificates' certificates\n"
      "# trusted, the postinst's default); the image's /etc/ssl/certs was made from it.\n";
  std::string bundle;
  std::size_t count = 0;
  for (const auto& name : names) {
    std::string text = read_file(share / name);
    if (!is_pem_certificate(text)) continue;
    if (text.back() != '\n') text += '\n';
    bundle += text;
    conf += name + "\n";
    // update-ca-certificates names the link after the file, .crt becoming .pem.
    const fs::path file = fs::path(name).filename();
    replace_link(certs / (file.stem().string() + ".pem"), "/usr/share/ca-certificates/" + name);
    ++count;
  }
  sdk::write_in_root(rootfs, "/etc/ca-certificates.conf", conf);
  sdk::write_in_root(rootfs, "/etc/ssl/certs/ca-certificates.crt", bundle);
  return count;
}

}  // namespace berth::bootstrap
