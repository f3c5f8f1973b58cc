// Takes one file out of an initramfs (cpio, compressed or not) through libarchive: the bench
// measures the base image that the initrd carries.
#pragma once

#include <filesystem>
#include <string>

namespace berth::bench {

// Writes the member `name` (e.g. "berth/base.squashfs") of `initrd` to `dest`; returns false
// when the initrd holds no such member. Throws sdk::Error when the initrd cannot be read.
bool extract_initrd_member(const std::filesystem::path& initrd, const std::string& name,
                           const std::filesystem::path& dest);

}  // namespace berth::bench
