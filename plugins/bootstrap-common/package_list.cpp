#include "package_list.hpp"

#include <algorithm>
#include <set>

namespace berth::bootstrap {

std::vector<sdk::ConfigKey> bootstrap_config_keys() {
  return {{"packages",
           sdk::ValueType::string_array,
           "packages to unpack into the rootfs; apt adds their dependencies",
           true,
           {}}};
}

bool is_package_name(const std::string& name) {
  if (name.size() < 2) return false;
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  };
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) return false;
  return std::all_of(name.begin(), name.end(), allowed);
}

std::vector<std::string> read_package_list(const sdk::ConfigTable& config) {
  if (!config.has("packages"))
    config.fail("packages", "missing: list the packages the rootfs holds");
  const auto names = config.get_strings("packages");
  if (names.empty()) config.fail("packages", "is empty: list the packages the rootfs holds");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (!is_package_name(name)) {
      config.fail("packages", "'" + name +
                                  "' is not a Debian package name (choose versions and suites "
                                  "with [[debian.pins]])");
    }
    if (seen.insert(name).second) out.push_back(name);
  }
  return out;
}

std::string packages_txt(std::vector<sdk::FetchedPackage> packages) {
  std::sort(packages.begin(), packages.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.version < b.version;
  });
  std::string text;
  for (const auto& package : packages) text += package.name + " " + package.version + "\n";
  return text;
}

}  // namespace berth::bootstrap
