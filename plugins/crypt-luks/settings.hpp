// The [encryption] table of crypt-luks.
#pragma once

#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::crypt_luks {

// Where cryptsetup and libcryptsetup come from: built from the configured suites' Debian
// source package with the kernel's crypto API as the library's crypto backend (no
// OpenSSL, so libcrypto and libzstd can leave the image), or Debian's binaries as they are.
enum class CryptsetupBuild { kernel_crypto, debian };

struct Settings {
  CryptsetupBuild build = CryptsetupBuild::kernel_crypto;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

}  // namespace berth::crypt_luks
