// Which of the packages apt fetched for `linux-image-amd64` holds the kernel.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::kernel_debian {

// The one linux-image-<version>... package among `fetched` (a metapackage such as
// linux-image-amd64 only depends on it; kmod, initramfs-tools and the like come along as
// its dependencies). Throws sdk::Error naming `requested` when there is none or several.
sdk::FetchedPackage pick_kernel_package(const std::vector<sdk::FetchedPackage>& fetched,
                                        const std::string& requested);

}  // namespace berth::kernel_debian
