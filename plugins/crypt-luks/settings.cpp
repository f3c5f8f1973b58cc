#include "settings.hpp"

#include <string>

namespace berth::crypt_luks {

std::vector<sdk::ConfigKey> config_schema() {
  return {
      {"build", sdk::ValueType::string,
       "\"kernel-crypto\" (default): cryptsetup and libcryptsetup built from the configured "
       "suites' Debian source package with the kernel crypto API backend (AF_ALG) and "
       "Debian's libargon2, cached under the cache dir, so that no OpenSSL is needed; "
       "\"debian\": Debian's binaries as they are (OpenSSL's libcrypto)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  const std::string build = table.get_string("build", "kernel-crypto");
  if (build == "debian") {
    settings.build = CryptsetupBuild::debian;
  } else if (build != "kernel-crypto") {
    table.fail("build", "'" + build + "' is neither \"kernel-crypto\" nor \"debian\"");
  }
  return settings;
}

}  // namespace berth::crypt_luks
