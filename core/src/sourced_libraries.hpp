// The libraries the shipped shell scripts source (`. /usr/lib/berth/persist.sh`) must be in
// the image. A script may source another plugin's library; without this check a config
// lacking that plugin builds fine and the script fails on the target, or probes for the
// file there. Checked once every plugin's files/ are installed.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::core {

namespace fs = std::filesystem;

struct SourcedLibrary {
  std::string path;  // absolute, as the target sees it
  int line = 0;      // 1-based line of the `.` in the script
};

// The libraries `script` (shell text) sources by a path the image itself must hold: `.
// WORD` or `source WORD` at the start of a command, where WORD, quotes removed, with
// `${NAME:-DEFAULT}` read as DEFAULT and a leading `$NAME`, `${NAME}` or `${NAME:-}` (a test
// root) dropped, is an absolute path under /usr, /etc, /bin, /sbin or /lib. Anything else is
// not checked: state files under /run, a path held in a variable (`. "$hook"`).
std::vector<SourcedLibrary> sourced_libraries(std::string_view script);

// Whether `script` (its first bytes) is a shell script: `#!/bin/sh` (or ash, dash, bash),
// or a sourced library marked `# shellcheck shell=sh` on its first line.
bool is_shell_script(std::string_view head);

// Where a plugin's scripts came from: its files/ part installed into the image checked.
struct ShippedFiles {
  std::string plugin;
  fs::path dir;  // e.g. <data dir>/rootfs; its files are read from the image
};

// The plugin (any on the search path) that ships `path` for this image, or "".
using ShipperLookup = std::function<std::string(const std::string& path)>;

// Throws sdk::Error, one line, for the first script of `shipped` (as installed in `image`)
// that sources a library `image` lacks: the script, its plugin, the library and, when
// `shipper` knows one, the plugin that ships it. Links in the image are resolved inside
// it. Scripts the image no longer holds (stripped) are skipped.
void check_sourced_libraries(const fs::path& image, const std::vector<ShippedFiles>& shipped,
                             const ShipperLookup& shipper);

// A ShipperLookup over the plugins on `search_path` (<dir>/<name>.so with its data
// directory <dir>/<name>/), looking in the files/ `parts` ("rootfs", "both", ...).
ShipperLookup shipper_on_path(std::vector<fs::path> search_path, std::vector<std::string> parts);

}  // namespace berth::core
