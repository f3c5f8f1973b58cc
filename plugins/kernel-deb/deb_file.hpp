// Checks on the `deb` file named by [kernel] before it is unpacked, so a wrong path
// fails with the file's name rather than with an extractor's complaint.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace berth::kernel_deb {

// `value` as written in the config; relative paths start at the config's directory.
std::filesystem::path resolve_deb_path(const std::string& value,
                                       const std::filesystem::path& config_dir);

// An ar archive whose first member is debian-binary, as dpkg-deb writes them.
bool is_deb_archive(const std::filesystem::path& path);

// What is wrong with `path` as a kernel package file ("... does not exist", ...), or
// nullopt. The contents (vmlinuz, modules) are checked once unpacked.
std::optional<std::string> deb_file_problem(const std::filesystem::path& path);

}  // namespace berth::kernel_deb
