// Compiler flags for single kernel objects, passed on make's command line.
#pragma once

#include <string>
#include <vector>

namespace berth::kernel_source {

// Per-object compiler flags for make's command line, from the final .config: with
// CC_OPTIMIZE_FOR_SIZE, the xz and zstd decoders that squashfs reads Berth's images
// through are compiled -O2 all the same. Under emulation -Os halves zstd's speed (the
// whole engine read from the fast image: 4.8 s at -Os, 2.5 s at -O2) for 24 KB of kernel.
std::vector<std::string> object_flags(const std::string& config);

}  // namespace berth::kernel_source
