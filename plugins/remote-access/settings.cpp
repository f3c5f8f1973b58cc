#include "settings.hpp"

#include <string>

namespace berth::remote_access {

std::vector<sdk::ConfigKey> config_schema() {
  return {
      {"build", sdk::ValueType::string,
       "\"bundled-libtom\" (default): dropbear and dropbearkey as one program built from the "
       "configured suites' Debian source package with dropbear's bundled libtomcrypt and "
       "libtommath linked in, keys only (no password logins) and no zlib compression, cached "
       "under the cache dir, so that libtomcrypt, libtommath, libgmp, zlib and libcrypt can "
       "leave the image; \"debian\": Debian's dropbear-bin as it is (with those libraries)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  const std::string build = table.get_string("build", "bundled-libtom");
  if (build == "debian") {
    settings.build = DropbearBuild::debian;
  } else if (build != "bundled-libtom") {
    table.fail("build", "'" + build + "' is neither \"bundled-libtom\" nor \"debian\"");
  }
  return settings;
}

}  // namespace berth::remote_access
