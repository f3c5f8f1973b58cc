#include "multistrap_config.hpp"

#include <unistd.h>

#include <map>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {
namespace {

// multistrap reads its config with Config::Auto: one key=value per line, values split
// on whitespace by multistrap itself. A value must therefore be one line, and a path
// or URI one word.
std::string word(const std::string& value, const std::string& what) {
  if (value.empty() || value.find_first_of(" \t\r\n") != std::string::npos) {
    throw sdk::Error("" + what + " '" + value +
                     "' cannot go into a multistrap config (empty or holds whitespace)");
  }
  return value;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& item : words) out += (out.empty() ? "" : " ") + item;
  return out;
}

}  // namespace

std::vector<std::string> section_names(const std::vector<sdk::AptSource>& sources) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const auto& source : sources) {
    std::string name;
    for (char c : source.suite) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      name += plain ? c : '-';
    }
    if (name.empty()) name = "source";
    const int count = ++seen[name];
    names.push_back(count == 1 ? name : name + "-" + std::to_string(count));
  }
  return names;
}

std::string render_multistrap_config(const MultistrapSettings& settings) {
  if (settings.sources.empty()) throw sdk::Error("[debian] has no sources");
  const auto names = section_names(settings.sources);
  // The packages go into the section of the [debian] suite (apt resolves them across
  // all sections either way); without it, into the first.
  std::size_t package_section = 0;
  for (std::size_t i = 0; i < settings.sources.size(); ++i) {
    if (settings.sources[i].suite == settings.suite) {
      package_section = i;
      break;
    }
  }

  std::ostringstream out;
  out << "# Written by berth's bootstrap-multistrap plugin for one build.\n"
      << "[General]\n"
      << "arch=" << word(settings.architecture, "[debian] architecture") << "\n"
      << "directory=" << word(settings.directory.string(), "rootfs path") << "\n"
      << "# apt resolves and downloads; multistrap unpacks each .deb with dpkg -X\n"
      << "unpack=true\n"
      << "# never chroot in to run maintainer scripts, as it would for the build host's arch\n"
      << "ignorenativearch=true\n"
      << "# only the listed packages and their dependencies, not all of Priority: required\n"
      << "omitrequired=true\n"
      << "addimportant=false\n"
      << "allowrecommends=false\n"
      << "# keep the .debs: berth reads and caches them, then empties the apt directories\n"
      << "cleanup=false\n"
      << "# the archive keyring is put into etc/apt/trusted.gpg.d beforehand\n"
      << "noauth=false\n"
      << "aptpreferences=" << word(settings.preferences.string(), "preferences path") << "\n"
      << "# multistrap's default APT::Default-Release \"*\" gives every suite priority 990,\n"
      << "# which overrides the pins (backports would win); empty means no default release\n"
      << "aptdefaultrelease=\n"
      << "bootstrap=" << join(names) << "\n"
      << "# no apt sources in the image\n"
      << "aptsources=\n";
  for (std::size_t i = 0; i < settings.sources.size(); ++i) {
    const auto& source = settings.sources[i];
    std::vector<std::string> components;
    for (const auto& component : source.components) {
      components.push_back(word(component, "component of " + source.uri + " " + source.suite));
    }
    if (components.empty()) components.push_back("main");
    std::vector<std::string> packages;
    if (i == package_section) {
      for (const auto& package : settings.packages) packages.push_back(word(package, "package"));
    }
    out << "\n[" << names[i] << "]\n"
        << "packages=" << join(packages) << "\n"
        << "source=" << word(source.uri, "source URI") << "\n"
        << "suite=" << word(source.suite, "suite of " + source.uri) << "\n"
        << "components=" << join(components) << "\n"
        << "# no Sources indexes: nothing is built from source\n"
        << "omitdebsrc=true\n";
  }
  return out.str();
}

void require_multistrap(const std::filesystem::path& program) {
  if (::access(program.c_str(), X_OK) == 0) return;
  throw sdk::Error("" + program.string() +
                   " not found; multistrap is packaged up to Debian 12 only (apt install "
                   "multistrap there), or set [bootstrap] plugin = \"bootstrap-mmdebstrap\"");
}

}  // namespace berth::bootstrap
