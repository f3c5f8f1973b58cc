// initrd.img as the kernel reads it: cpio archives back to back, each compressed or not
// (Documentation/driver-api/early-userspace/buffer-format.rst).
#pragma once

#include <filesystem>
#include <vector>

namespace berth::fs_squashfs {

// Writes `parts` one after the other into `initrd`, each padded with zero bytes to a
// multiple of 4: the kernel skips zeros between archives, and looks for an uncompressed
// one only at a 4-byte boundary. Throws sdk::Error naming the file it cannot read or
// write.
void concatenate_archives(const std::vector<std::filesystem::path>& parts,
                          const std::filesystem::path& initrd);

}  // namespace berth::fs_squashfs
