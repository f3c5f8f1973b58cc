// The name of a compiled kernel in the cache: everything that decides what the compiler
// produces, and nothing about where the build runs (a CI clone elsewhere must hit the
// cache a developer's build filled).
#pragma once

#include <string>
#include <vector>

namespace berth::kernel_source {

struct BuildInputs {
  std::string source_id;                    // e.g. linux-source-6.12_6.12.118-1, tarball-<sha256>
  std::vector<std::string> patch_hashes;    // sha256 of each patch, in the order applied
  std::string config;                       // the final .config text after olddefconfig
  std::string toolchain;                    // first lines of `gcc --version`, `ld --version`
  std::vector<std::string> make_variables;  // make's command-line variables (object_flags)
};

// 32 hex digits of the sha256 over the inputs. A .config's comment lines (its header
// names the kernel version and the compiler, which the other inputs already cover)
// count like the rest: the file is what Kbuild reads.
std::string cache_key(const BuildInputs& inputs);

}  // namespace berth::kernel_source
