// The running system is busybox init, dockerd and friends, reached over a shell: no man,
// no apt, no dpkg, no systemd, no compiler. Everything here is read by none of them.
//
// Decisions worth knowing:
// - Copyright files stay (usr/share/doc/*/copyright): we distribute the image, and
//   Debian's licences ask for them to travel with the binaries. The GPL texts in
//   usr/share/common-licenses that they refer to go; every copyright file names its
//   licence, and the texts are one download away.
// - var/lib/dpkg/status stays: it is the one record inside the image of which package
//   versions it is made of, for people and for vulnerability scanners (syft, trivy).
//   What only dpkg itself reads (info/: file lists, md5sums, maintainer scripts) goes,
//   unless the image ships dpkg.
// - usr/lib/tmpfiles.d and usr/lib/sysusers.d stay, although only systemd reads them:
//   they are a few KB, and they are the packages' own statement of the run-time
//   directories and users they expect, which a busybox rc script can honour.
// - C.UTF-8 lives in usr/lib/locale/C.utf8, which stays; usr/share/i18n only feeds
//   localedef, which the running system never runs.
#include "strip_rules.hpp"

namespace berth::fs_squashfs {

const std::vector<StripRule>& default_strip_rules() {
  // name, patterns, files_only, unless_present
  static const std::vector<StripRule> rules = {
      {"documentation (copyright files kept)",
       {"usr/share/doc", "usr/share/doc-base", "usr/share/gtk-doc", "usr/share/help"},
       false,
       ""},
      {"manual pages", {"usr/share/man"}, false, ""},
      {"info pages", {"usr/share/info"}, false, ""},
      {"translations", {"usr/share/locale"}, false, ""},
      {"locale sources", {"usr/share/i18n"}, false, ""},
      {"C headers", {"usr/include"}, false, ""},
      {"static and libtool libraries", {"usr/lib/**/*.a", "usr/lib/**/*.la"}, false, ""},
      {"pkg-config files", {"usr/lib/**/pkgconfig", "usr/share/pkgconfig"}, false, ""},
      {"packaging metadata", {"usr/share/lintian", "usr/share/bug", "usr/share/menu"}, false, ""},
      {"licence texts", {"usr/share/common-licenses"}, false, ""},
      // Completions are only worth their space with the shell they complete.
      {"bash completions",
       {"usr/share/bash-completion", "etc/bash_completion.d"},
       false,
       "usr/bin/bash"},
      {"zsh completions", {"usr/share/zsh"}, false, "usr/bin/zsh"},
      {"fish completions", {"usr/share/fish"}, false, "usr/bin/fish"},
      {"systemd units", {"usr/lib/systemd", "etc/systemd"}, false, "usr/lib/systemd/systemd"},
      {"apt package lists", {"var/lib/apt/lists/*"}, false, ""},
      {"dpkg database (status kept)",
       {"var/lib/dpkg/info", "var/lib/dpkg/*-old", "var/lib/dpkg/available"},
       false,
       "usr/bin/dpkg"},
      // Before "caches", so the report tells the packages apart from the rest.
      {"downloaded packages", {"var/cache/apt/archives/**/*.deb"}, true, ""},
      {"caches", {"var/cache/**"}, true, ""},
      {"logs", {"var/log/**"}, true, ""},
      {"python bytecode", {"**/__pycache__"}, false, ""},
  };
  return rules;
}

const std::vector<std::string>& default_keep_patterns() {
  static const std::vector<std::string> keep = {
      "usr/share/doc/*/copyright",
      // glibc's setlocale() reads it to resolve names such as "german".
      "usr/share/locale/locale.alias",
  };
  return keep;
}

std::vector<StripRule> custom_strip_rules(const std::vector<std::string>& globs) {
  std::vector<StripRule> rules;
  for (const auto& glob : globs) rules.push_back({"strip \"" + glob + "\"", {glob}, false, ""});
  return rules;
}

}  // namespace berth::fs_squashfs
