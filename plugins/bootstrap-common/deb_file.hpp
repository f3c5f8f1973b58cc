// Reading a .deb without running dpkg: its control fields and the paths it ships.
// The bootstrap needs both for every package the tool extracted: the name and version
// for the record, the paths to tell packaged files from the tools' scaffolding.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace berth::bootstrap {

struct DebContents {
  std::string package;
  std::string version;
  std::string architecture;
  // Paths relative to the root, as in the data archive without "./" and without a
  // trailing slash: "usr/bin/busybox", "usr/share/doc". Directories included.
  std::vector<std::string> paths;
};

// Throws Error naming the file when it is not a readable Debian binary package.
DebContents read_deb(const std::filesystem::path& deb);

// read_deb for many files, on every CPU: reading means decompressing each data.tar,
// which for a Docker host's rootfs takes seconds per core. Same order as `debs`.
std::vector<DebContents> read_debs(const std::vector<std::filesystem::path>& debs);

// The value of `field` (case-insensitive) in the first paragraph of a deb822 text,
// continuation lines joined with '\n'; empty when absent.
std::string control_field(const std::string& control, const std::string& field);

// DebContents as text and back, for the download cache: reading a .deb means
// decompressing all of it, and a file name stands for one package version, so its
// contents need reading once. nullopt for text that is not a complete record.
std::string render_contents(const DebContents& contents);
std::optional<DebContents> parse_contents(const std::string& text);

// "./usr/bin/" -> "usr/bin", "./" -> "" (the root, which callers skip).
std::string normalize_member_path(const std::string& name);

}  // namespace berth::bootstrap
