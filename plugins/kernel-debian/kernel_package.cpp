#include "kernel_package.hpp"

#include <cctype>

#include "berth/sdk/error.hpp"

namespace berth::kernel_debian {
namespace {

constexpr std::string_view kPrefix = "linux-image-";

// Versioned image packages are named linux-image-<upstream version>-<flavour> (Debian,
// Kali, `make bindeb-pkg`); metapackages have a flavour right after the prefix.
bool is_versioned_image(const std::string& name) {
  return name.starts_with(kPrefix) && name.size() > kPrefix.size() &&
         std::isdigit(static_cast<unsigned char>(name[kPrefix.size()])) != 0 &&
         !name.ends_with("-dbg");
}

std::string names_of(const std::vector<sdk::FetchedPackage>& packages) {
  std::string out;
  for (const auto& package : packages) out += (out.empty() ? "" : ", ") + package.name;
  return out.empty() ? "nothing" : out;
}

}  // namespace

sdk::FetchedPackage pick_kernel_package(const std::vector<sdk::FetchedPackage>& fetched,
                                        const std::string& requested) {
  std::vector<sdk::FetchedPackage> images;
  for (const auto& package : fetched) {
    if (is_versioned_image(package.name)) images.push_back(package);
  }
  if (images.empty()) {
    throw sdk::Error("package " + requested + " brought no linux-image-<version> package (got " +
                     names_of(fetched) + ")");
  }
  if (images.size() > 1) {
    throw sdk::Error("package " + requested + " brought several kernels (" + names_of(images) +
                     "); name one of them in [kernel] package");
  }
  return images.front();
}

}  // namespace berth::kernel_debian
