#include "sourced_libraries.hpp"

#include <fstream>
#include <set>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"

namespace berth::core {
namespace {

// Scripts are small; a bigger file is not read past this (a library sourced further
// down would go unchecked, never misread).
constexpr std::size_t kMaxScriptBytes = 1 << 20;

// The image's own trees: a path elsewhere (/run, /var, /tmp) is state made at run time.
constexpr std::string_view kImageRoots[] = {"/usr/", "/etc/", "/bin/", "/sbin/", "/lib/"};

bool under_image_root(std::string_view path) {
  for (auto root : kImageRoots) {
    if (path.substr(0, root.size()) == root) return true;
  }
  return false;
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The first word after `.`, quotes removed, up to unquoted blank or ; | & ).
std::string first_word(std::string_view rest) {
  std::string word;
  char quote = 0;
  for (char c : rest) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == ')') {
      break;
    } else {
      word += c;
    }
  }
  return word;
}

// ${NAME:-DEFAULT} and ${NAME-DEFAULT} -> DEFAULT; other expansions stay as they are.
std::string take_defaults(const std::string& word) {
  std::string out;
  for (std::size_t i = 0; i < word.size();) {
    if (word.compare(i, 2, "${") == 0) {
      std::size_t j = i + 2;
      while (j < word.size() && is_name_char(word[j])) ++j;
      const std::size_t close = word.find('}', j);
      if (close != std::string::npos && j > i + 2 && j < close) {
        std::size_t value = j;
        if (word[value] == ':') ++value;
        if (value < close && word[value] == '-') {
          out += word.substr(value + 1, close - value - 1);
          i = close + 1;
          continue;
        }
      }
    }
    out += word[i++];
  }
  return out;
}

// "$root/usr/lib/x" or "${root}/usr/lib/x": the path after a leading test-root variable.
std::string drop_root_variable(const std::string& path) {
  if (path.empty() || path[0] != '$') return path;
  std::size_t end = 1;
  if (path.size() > 1 && path[1] == '{') {
    end = path.find('}');
    if (end == std::string::npos) return path;
    ++end;
  } else {
    while (end < path.size() && is_name_char(path[end])) ++end;
  }
  const std::string rest = path.substr(end);
  return under_image_root(rest) ? rest : path;
}

std::string read_head(const fs::path& file, std::size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(bytes));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// Whether the shell would find `path` in the image; a link loop is nothing it could source.
bool in_image(const fs::path& image, const std::string& path) {
  try {
    return sdk::resolve_in_root(image, path).has_value();
  } catch (const sdk::Error&) {
    return false;
  }
}

}  // namespace

std::vector<SourcedLibrary> sourced_libraries(std::string_view script) {
  std::vector<SourcedLibrary> found;
  int number = 0;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find('\n', start);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(start, end - start);
    start = end + 1;
    ++number;
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);
    std::size_t skip = 0;
    if (line.substr(0, 2) == ". " || line.substr(0, 2) == ".\t") {
      skip = 2;
    } else if (line.substr(0, 7) == "source " || line.substr(0, 7) == "source\t") {
      skip = 7;
    } else {
      continue;
    }
    line.remove_prefix(skip);
    line.remove_prefix(std::min(line.size(), line.find_first_not_of(" \t")));
    const std::string path = drop_root_variable(take_defaults(first_word(line)));
    if (path.find('$') != std::string::npos || !under_image_root(path)) continue;
    found.push_back({path, number});
  }
  return found;
}

bool is_shell_script(std::string_view head) {
  const std::string_view line = head.substr(0, head.find('\n'));
  for (std::string_view shebang : {"#!/bin/sh", "#!/bin/ash", "#!/bin/dash", "#!/bin/bash",
                                   "#!/usr/bin/env sh", "#!/usr/bin/env bash"}) {
    if (line.substr(0, shebang.size()) == shebang &&
        (line.size() == shebang.size() || line[shebang.size()] == ' ')) {
      return true;
    }
  }
  return line.substr(0, 21) == "# shellcheck shell=sh";
}

void check_sourced_libraries(const fs::path& image, const std::vector<ShippedFiles>& shipped,
                             const ShipperLookup& shipper) {
  for (const auto& files : shipped) {
    if (!fs::is_directory(files.dir)) continue;
    std::set<fs::path> scripts;  // sorted: the same script is reported first every time
    for (auto it = fs::recursive_directory_iterator(files.dir); it != fs::end(it); ++it) {
      if (!it->is_symlink() && it->is_regular_file()) {
        scripts.insert(fs::relative(it->path(), files.dir));
      }
    }
    for (const auto& relative : scripts) {
      const fs::path installed = image / relative;
      if (!fs::is_regular_file(fs::symlink_status(installed))) continue;
      const std::string text = read_head(installed, kMaxScriptBytes);
      if (!is_shell_script(text)) continue;
      for (const auto& library : sourced_libraries(text)) {
        if (in_image(image, library.path)) continue;
        const std::string owner = shipper ? shipper(library.path) : "";
        throw sdk::Error("/" + relative.string() + " (" + files.plugin + ") line " +
                         std::to_string(library.line) + " sources " + library.path +
                         ", which is not in the image: " +
                         (owner.empty() ? "no plugin on the plugin path ships it"
                                        : "plugin " + owner + " ships it; add it to the config"));
      }
    }
  }
}

ShipperLookup shipper_on_path(std::vector<fs::path> search_path, std::vector<std::string> parts) {
  return [search_path = std::move(search_path),
          parts = std::move(parts)](const std::string& path) -> std::string {
    const fs::path relative = fs::path(path).relative_path();
    for (const auto& dir : search_path) {
      std::error_code error;
      std::set<fs::path> modules;  // sorted, so the answer does not depend on readdir
      for (const auto& entry : fs::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".so") modules.insert(entry.path());
      }
      for (const auto& module : modules) {
        const fs::path data = dir / module.stem();
        for (const auto& part : parts) {
          if (fs::exists(fs::symlink_status(data / part / relative, error))) {
            return module.stem().string();
          }
        }
      }
    }
    return "";
  };
}

}  // namespace berth::core
