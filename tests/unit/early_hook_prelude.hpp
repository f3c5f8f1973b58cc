// What the unit test of an early hook (an initramfs early.d/ script) runs before sourcing it:
// the real /init libraries (fs-squashfs's early.sh, cmdline.sh and lib.sh, the functions the hook
// gets at boot), then the machine taken out of it: messages printed with their kind ("msg: ", "log:
// ", "warn: "), berth.* parameters from PARAM_<name> variables, no drivers to load, and a clock
// that moves only when the code sleeps, so a wait for a disk that never comes ends at once and
// still runs the real waiting code.
#pragma once

#include <filesystem>
#include <string>

#include "test_paths.hpp"

namespace berth::test {

inline std::string early_hook_prelude() {
  const auto files = std::filesystem::path(BERTH_SOURCE_DIR) / "plugins/fs-squashfs/files";
  const auto library = files / "initramfs/usr/lib/berth/early.sh";
  const auto cmdline = files / "both/usr/lib/berth/cmdline.sh";
  const auto shared = files / "both/usr/lib/berth/lib.sh";
  return "set -u\n"
         "BERTH_RUN=$WORK/run\n"
         "BERTH_LOG=\n"
         "mkdir -p \"$BERTH_RUN\"\n"
         ". '" +
         library.string() + "'\n. '" + cmdline.string() + "'\n. '" + shared.string() +
         "'\n"
         R"sh(berth_msg() { echo "msg: $*"; }
berth_log() { echo "log: $*"; }
berth_warn() { echo "warn: $*"; }
berth_coldplug() { :; }
modprobe() { :; }
_fake_tenths=0
usleep() { _fake_tenths=$((_fake_tenths + $1 / 100000)); }
berth_uptime_tenths() { echo "$_fake_tenths"; }
berth_param() {
  eval "_v=\${PARAM_$1-__unset__}"
  [ "$_v" != __unset__ ] || return 1
  echo "$_v"
}
)sh";
}

}  // namespace berth::test
