#include "cryptsetup_recipe.hpp"

#include <set>
#include <sstream>

namespace berth::crypt_luks {

std::vector<std::string> chroot_packages(const std::string& control) {
  // Debian's packaging (debhelper, reproducibility, debconf templates), and OpenSSL and
  // libssh: the backend and the SSH token plugin this build replaces or leaves out.
  static const std::set<std::string> kNotUsed = {"debhelper-compat", "dh-strip-nondeterminism",
                                                 "po-debconf", "libssl-dev", "libssh-dev"};
  std::vector<std::string> packages;
  for (const auto& depend : sdk::build_depends(control)) {
    if (kNotUsed.count(depend.package) != 0) continue;
    if (depend.profiles.find("!nodoc") != std::string::npos ||
        depend.profiles.find("!nocheck") != std::string::npos) {
      continue;
    }
    packages.push_back(depend.package);
  }
  packages.push_back("libargon2-dev");
  return packages;
}

std::vector<std::string> configure_args(const std::string& multiarch) {
  return {
      "--prefix=/usr",
      "--sbindir=/usr/sbin",
      "--libdir=/usr/lib/" + multiarch,
      "--sysconfdir=/etc",
      "--localstatedir=/var",
      "--runstatedir=/run",
      // As debian/rules.
      "--with-tmpfilesdir=/usr/lib/tmpfiles.d",
      "--enable-shared",
      "--disable-static",
      // The kernel's crypto API (AF_ALG sockets: hashes, HMAC, ciphers) instead of
      // OpenSSL; PBKDF2 is cryptsetup's own over the kernel's HMAC, argon2 Debian's library.
      "--with-crypto_backend=kernel",
      "--enable-libargon2",
      // What Berth never ships or runs.
      "--disable-ssh-token",
      "--disable-asciidoc",
      "--disable-nls",
      "--disable-veritysetup",
      "--disable-integritysetup",
  };
}

std::vector<std::string> buildflags_env() {
  return {"DEB_BUILD_MAINT_OPTIONS=hardening=+bindnow,+pie", "DEB_CFLAGS_MAINT_APPEND=-Wall"};
}

std::string backend_line(const std::string& debug_output) {
  const auto start = debug_output.find("Crypto backend (");
  if (start == std::string::npos) return "";
  const auto end = debug_output.find('\n', start);
  return debug_output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool reports_version(const std::string& output, const std::string& source_version) {
  return output.rfind("cryptsetup " + sdk::upstream_version(source_version) + " ", 0) == 0 ||
         output.rfind("cryptsetup " + sdk::upstream_version(source_version) + "\n", 0) == 0;
}

std::vector<std::string> userspace_crypto_libraries(const std::string& readelf_dynamic) {
  static const char* const kLibraries[] = {"libcrypto.so", "libssl.so",  "libgcrypt.so",
                                           "libnettle.so", "libnss3.so", "libmbedcrypto.so"};
  std::vector<std::string> found;
  std::istringstream lines(readelf_dynamic);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string name = line.substr(open + 1, close - open - 1);
    for (const char* library : kLibraries) {
      if (name.rfind(library, 0) == 0) found.push_back(name);
    }
  }
  return found;
}

std::string key_text(const BuildKeyParts& parts) {
  std::ostringstream text;
  // The steps of cryptsetup_build.cpp: bump when they change.
  text << "crypt-luks cryptsetup 1\n";
  text << "source " << parts.source.name << " " << parts.source.version << "\n";
  text << "configure";
  for (const auto& arg : configure_args(parts.multiarch)) text << " " << arg;
  text << "\n";
  for (const auto& flag : parts.flags) text << "flags " << flag << "\n";
  for (const auto& package : parts.chroot_packages) text << "chroot " << package << "\n";
  return text.str();
}

}  // namespace berth::crypt_luks
