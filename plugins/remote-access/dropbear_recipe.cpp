#include "dropbear_recipe.hpp"

#include <set>
#include <sstream>

namespace berth::remote_access {

std::vector<std::string> chroot_packages(const std::string& control) {
  // Debian's packaging, and the shared libraries this build replaces or leaves out.
  static const std::set<std::string> kNotUsed = {"debhelper",       "debhelper-compat",
                                                 "libtomcrypt-dev", "libtommath-dev",
                                                 "libz-dev",        "zlib1g-dev"};
  std::vector<std::string> packages;
  for (const auto& depend : sdk::build_depends(control)) {
    if (kNotUsed.count(depend.package) != 0) continue;
    if (depend.profiles.find("!nodoc") != std::string::npos ||
        depend.profiles.find("!nocheck") != std::string::npos) {
      continue;
    }
    packages.push_back(depend.package);
  }
  return packages;
}

std::vector<std::string> configure_args() {
  return {
      "--prefix=/usr",
      "--sysconfdir=/etc",
      "--localstatedir=/var",
      // As debian/rules.
      "--disable-lastlog",
      // libtomcrypt and libtommath from dropbear's own tree, compiled with only what
      // dropbear's options enable, linked in: no libtomcrypt1, libtommath1 or libgmp10.
      "--enable-bundled-libtom",
      // No compression (zlib@openssh.com): OpenSSH's client asks for none unless told, and
      // a Docker socket forwarded over SSH carries compressed layers anyway.
      "--disable-zlib",
  };
}

std::vector<std::string> buildflags_env() {
  return {"DEB_BUILD_MAINT_OPTIONS=hardening=+all"};
}

std::vector<std::string> configure_env(const std::vector<std::string>& flags) {
  std::vector<std::string> env;
  for (const auto& flag : flags) {
    if (flag.rfind("LDFLAGS=", 0) == 0) {
      const bool empty = flag.size() == std::string("LDFLAGS=").size();
      env.push_back(flag + (empty ? "" : " ") + "-fPIE -pie -Wl,--as-needed");
    } else {
      env.push_back(flag);
    }
  }
  env.push_back("LTM_CFLAGS=-Os");
  return env;
}

std::vector<std::string> make_args() {
  return {"make", "-j2", "PROGRAMS=dropbear dropbearkey", "MULTI=1"};
}

std::string local_options(const std::string& debian_local_options) {
  std::string text = debian_local_options;
  if (!text.empty() && text.back() != '\n') text += '\n';
  text +=
      "\n/* Berth (remote-access): keys only. 72-ssh runs dropbear -s; without password\n"
      " * authentication the server calls no crypt(), so it links no libcrypt. */\n"
      "#define DROPBEAR_SVR_PASSWORD_AUTH 0\n";
  return text;
}

bool reports_version(const std::string& output, const std::string& source_version) {
  const std::string expected = "Dropbear v" + sdk::upstream_version(source_version);
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line == expected) return true;
  }
  return false;
}

std::vector<std::string> unwanted_libraries(const std::string& readelf_dynamic) {
  static const char* const kLibraries[] = {"libtomcrypt.so", "libtommath.so", "libgmp.so",
                                           "libz.so", "libcrypt.so"};
  std::vector<std::string> found;
  std::istringstream lines(readelf_dynamic);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string name = line.substr(open + 1, close - open - 1);
    for (const char* library : kLibraries) {
      if (name.rfind(library, 0) == 0) found.push_back(name);
    }
  }
  return found;
}

std::string key_text(const BuildKeyParts& parts) {
  std::ostringstream text;
  // The steps of dropbear_build.cpp: bump when they change.
  text << "remote-access dropbear 1\n";
  text << "source " << parts.source.name << " " << parts.source.version << "\n";
  text << "configure";
  for (const auto& arg : configure_args()) text << " " << arg;
  text << "\n";
  for (const auto& env : configure_env(parts.flags)) text << "env " << env << "\n";
  text << "make";
  for (const auto& arg : make_args()) text << " " << arg;
  text << "\n";
  text << "localoptions.h\n" << local_options(parts.debian_local_options);
  for (const auto& package : parts.chroot_packages) text << "chroot " << package << "\n";
  return text.str();
}

}  // namespace berth::remote_access
