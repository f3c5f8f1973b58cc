#include "test_env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace berth::vm {
namespace {

namespace fs = std::filesystem;

fs::path from_env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? fs::path(value) : fs::path(fallback);
}

}  // namespace

fs::path test_out_dir() {
  return from_env("BERTH_TEST_OUT", BERTH_TEST_OUT_DEFAULT);
}
fs::path gui_test_out_dir() {
  return from_env("BERTH_TEST_GUI_OUT", BERTH_TEST_GUI_OUT_DEFAULT);
}
fs::path fixture_dir() {
  return from_env("BERTH_VM_FIXTURES", BERTH_VM_FIXTURES_DEFAULT);
}
fs::path log_dir() {
  return from_env("BERTH_VM_LOGS", BERTH_VM_LOGS_DEFAULT);
}

fs::path current_test_log() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      info == nullptr ? "vm" : std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return log_dir() / (name + ".log");
}

std::string missing_boot_inputs(BootMode mode) {
  const fs::path dir = test_out_dir();
  if (!fs::is_directory(dir)) {
    return "no test build at " + dir.string() +
           " (run `make` for the test ISO, or set BERTH_TEST_OUT)";
  }
  const auto needed = mode == BootMode::DirectKernel
                          ? std::vector<fs::path>{"vmlinuz", "initrd.img"}
                          : std::vector<fs::path>{"berth.iso"};
  for (const auto& file : needed) {
    if (!fs::is_regular_file(dir / file))
      return "no " + (dir / file).string() + " in the test build";
  }
  return {};
}

GuestOptions berth_guest(BootMode mode) {
  GuestOptions options;
  options.mode = mode;
  const fs::path dir = test_out_dir();
  options.iso = dir / "berth.iso";
  options.kernel = dir / "vmlinuz";
  options.initrd = dir / "initrd.img";
  options.append = from_env("BERTH_VM_APPEND", kDirectBootAppend).string();
  std::istringstream extra(from_env("BERTH_VM_QEMU_ARGS", "").string());
  for (std::string arg; extra >> arg;) options.extra_args.push_back(arg);
  options.log_file = current_test_log();
  return options;
}

}  // namespace berth::vm
