#include "busybox_recipe.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::init_busybox {

namespace {

// The symbol a .config line assigns: CONFIG_X of "CONFIG_X=y" or "# CONFIG_X is not set".
std::string config_symbol(const std::string& line) {
  std::string rest = line;
  if (rest.rfind("# ", 0) == 0) {
    rest.erase(0, 2);
    const auto space = rest.find(" is not set");
    if (space == std::string::npos || space + 11 != rest.size()) return "";
    rest.erase(space);
  } else {
    const auto equals = rest.find('=');
    if (equals == std::string::npos) return "";
    rest.erase(equals);
  }
  return rest.rfind("CONFIG_", 0) == 0 ? rest : "";
}

std::set<std::string> applet_set(const std::string& listing) {
  std::set<std::string> applets;
  std::istringstream words(listing);
  for (std::string word; words >> word;) applets.insert(word);
  return applets;
}

}  // namespace

std::vector<std::string> chroot_packages(const std::string& control) {
  std::vector<std::string> packages;
  for (const auto& depend : sdk::build_depends(control)) {
    if (depend.package == "debhelper-compat") continue;
    if (depend.profiles.find("!nocheck") != std::string::npos) continue;
    packages.push_back(depend.package);
  }
  packages.push_back("musl-tools");
  packages.push_back("linux-libc-dev");
  return packages;
}

const std::vector<std::string>& config_overrides() {
  static const std::vector<std::string> overrides = {
      "# CONFIG_EXTRA_COMPAT is not set",
      "# CONFIG_FEATURE_VI_REGEX_SEARCH is not set",
  };
  return overrides;
}

std::string initial_config(const std::string& os_config, const std::string& flavour_config) {
  std::string text;
  for (const auto& line : config_overrides()) text += line + "\n";
  text += os_config;
  if (!text.empty() && text.back() != '\n') text += "\n";
  return text + flavour_config;
}

std::string expected_config(const std::string& flavour_config) {
  std::set<std::string> replaced;
  std::string text;
  std::istringstream lines(flavour_config);
  for (std::string line; std::getline(lines, line);) {
    const std::string symbol = config_symbol(line);
    const auto override = std::find_if(
        config_overrides().begin(), config_overrides().end(),
        [&](const std::string& candidate) { return config_symbol(candidate) == symbol; });
    if (!symbol.empty() && override != config_overrides().end()) {
      text += *override + "\n";
      replaced.insert(symbol);
    } else {
      text += line + "\n";
    }
  }
  for (const auto& line : config_overrides()) {
    if (replaced.count(config_symbol(line)) == 0) {
      throw sdk::Error("busybox's static configuration has no " + config_symbol(line) +
                       " to change");
    }
  }
  return text;
}

std::vector<std::string> musl_flags(const std::vector<std::string>& debian_flags) {
  std::vector<std::string> flags;
  for (const auto& flag : debian_flags) {
    const auto equals = flag.find('=');
    const std::string name = flag.substr(0, equals);
    std::istringstream words(equals == std::string::npos ? "" : flag.substr(equals + 1));
    std::string value;
    for (std::string word; words >> word;) {
      if (name == "CFLAGS" && word == "-O2") continue;
      value += (value.empty() ? "" : " ") + word;
    }
    if (name == "CFLAGS") value += " -Wno-error=incompatible-pointer-types";
    if (name == "CPPFLAGS") value += std::string(" -isystem ") + kKernelHeaders;
    flags.push_back(name + "=" + value);
  }
  return flags;
}

std::vector<std::string> buildflags_env() {
  return {"DEB_BUILD_MAINT_OPTIONS=hardening=+all"};
}

std::vector<HeaderLink> kernel_header_links(const std::string& multiarch) {
  return {
      {"linux", "/usr/include/linux"},
      {"asm", "/usr/include/" + multiarch + "/asm"},
      {"asm-generic", "/usr/include/asm-generic"},
      {"mtd", "/usr/include/mtd"},
  };
}

std::vector<std::string> make_args(const std::string& target, const std::vector<std::string>& flags,
                                   const std::string& source_version) {
  std::string cflags;
  std::string cppflags;
  std::string ldflags;
  for (const auto& flag : flags) {
    const auto equals = flag.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = flag.substr(0, equals);
    const std::string value = flag.substr(equals + 1);
    if (name == "CFLAGS") cflags = value;
    if (name == "CPPFLAGS") cppflags = value;
    if (name == "LDFLAGS") ldflags = value;
  }
  std::vector<std::string> args = {"make", "-C", kBuildDir};
  if (target == "silentoldconfig") {
    // As debian/rules makes the flavour's directory: the Makefile from the source tree.
    args.insert(args.end(), {"-f", std::string(kSourceDir) + "/Makefile",
                             std::string("KBUILD_SRC=") + kSourceDir, target});
  } else {
    args.insert(args.end(), {"-j2", target, "SKIP_STRIP=y"});
  }
  args.insert(args.end(), {"CC=musl-gcc", "BB_EXTRA_VERSION=Debian " + source_version + " musl",
                           "CONFIG_EXTRA_CFLAGS=" + cflags + " " + cppflags,
                           "CONFIG_EXTRA_LDFLAGS=" + cflags + " " + ldflags, "V=1"});
  return args;
}

bool reports_version(const std::string& help_output, const std::string& source_version) {
  return help_output.rfind("BusyBox v" + sdk::upstream_version(source_version) + " ", 0) == 0;
}

std::vector<std::string> static_problems(const std::string& program_headers,
                                         const std::string& dynamic_section) {
  std::vector<std::string> problems;
  std::istringstream headers(program_headers);
  for (std::string line; std::getline(headers, line);) {
    std::istringstream words(line);
    std::string type;
    words >> type;
    if (type == "INTERP") problems.push_back("it has a program interpreter (PT_INTERP)");
    if (type == "DYNAMIC") problems.push_back("it has a dynamic section (PT_DYNAMIC)");
  }
  std::istringstream dynamic(dynamic_section);
  for (std::string line; std::getline(dynamic, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    const std::string name = open == std::string::npos || close == std::string::npos
                                 ? line
                                 : line.substr(open + 1, close - open - 1);
    problems.push_back("it needs " + name + " (DT_NEEDED)");
  }
  return problems;
}

std::vector<std::string> applet_differences(const std::string& expected, const std::string& built) {
  const auto want = applet_set(expected);
  const auto have = applet_set(built);
  std::vector<std::string> differences;
  for (const auto& applet : want) {
    if (have.count(applet) == 0) differences.push_back("missing " + applet);
  }
  for (const auto& applet : have) {
    if (want.count(applet) == 0) differences.push_back("extra " + applet);
  }
  return differences;
}

std::string key_text(const BuildKeyParts& parts) {
  std::ostringstream text;
  // The steps of busybox_build.cpp: bump when they change.
  text << "init-busybox busybox musl 1\n";
  text << "source " << parts.source.name << " " << parts.source.version << "\n";
  text << "multiarch " << parts.multiarch << "\n";
  for (const auto& arg : make_args("all", parts.flags, parts.source.version)) {
    text << "make " << arg << "\n";
  }
  for (const auto& link : kernel_header_links(parts.multiarch)) {
    text << "headers " << link.name << " " << link.target << "\n";
  }
  std::istringstream config(parts.config);
  for (std::string line; std::getline(config, line);) text << "config " << line << "\n";
  for (const auto& package : parts.chroot_packages) text << "chroot " << package << "\n";
  return text.str();
}

}  // namespace berth::init_busybox
