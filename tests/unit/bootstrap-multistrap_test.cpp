// bootstrap-multistrap: the config file it writes, the missing-multistrap error, and
// how it checks what multistrap unpacked against apt's selection.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "berth/sdk/error.hpp"
#include "multistrap_config.hpp"
#include "unpack_check.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace bs = berth::bootstrap;

// [debian] of the repo's berth.toml, as the core hands it over (one source per suite).
bs::MultistrapSettings berth_toml_settings() {
  bs::MultistrapSettings settings;
  settings.directory = "/work/rootfs";
  settings.architecture = "amd64";
  settings.preferences = "/work/plugins/bootstrap-multistrap/apt-preferences";
  settings.suite = "trixie";
  settings.sources = {{"http://deb.debian.org/debian", "trixie", {"main"}},
                      {"http://deb.debian.org/debian", "trixie-updates", {"main"}},
                      {"http://deb.debian.org/debian", "trixie-backports", {"main"}},
                      {"http://deb.debian.org/debian-security", "trixie-security", {"main"}}};
  settings.packages = {"busybox-static", "docker.io", "iptables"};
  return settings;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// The lines of the section [name], up to the next section.
std::string section(const std::string& text, const std::string& name) {
  const auto start = text.find("\n[" + name + "]\n");
  if (start == std::string::npos) return "";
  const auto body = start + name.size() + 4;
  const auto end = text.find("\n[", body);
  return text.substr(body, end == std::string::npos ? std::string::npos : end - body + 1);
}

TEST(MultistrapConfig, GeneralSectionUnpacksWithoutConfiguringAndHonoursPins) {
  const std::string text = bs::render_multistrap_config(berth_toml_settings());
  const std::string general = section(text, "General");
  for (const std::string line :
       {"arch=amd64", "directory=/work/rootfs", "unpack=true", "ignorenativearch=true",
        "omitrequired=true", "cleanup=false", "noauth=false", "allowrecommends=false",
        "aptpreferences=/work/plugins/bootstrap-multistrap/apt-preferences", "aptdefaultrelease=",
        "bootstrap=trixie trixie-updates trixie-backports trixie-security", "aptsources="}) {
    EXPECT_TRUE(has_line(general, line)) << "missing '" << line << "' in\n" << general;
  }
  // multistrap's keyring= makes it download a keyring package with the host's apt,
  // which fails for trixie; the keyring is seeded into the target instead.
  EXPECT_EQ(text.find("keyring="), std::string::npos);
}

TEST(MultistrapConfig, OneSectionPerSuitePackagesInTheMainOne) {
  const std::string text = bs::render_multistrap_config(berth_toml_settings());
  const std::string trixie = section(text, "trixie");
  EXPECT_TRUE(has_line(trixie, "packages=busybox-static docker.io iptables")) << trixie;
  EXPECT_TRUE(has_line(trixie, "source=http://deb.debian.org/debian")) << trixie;
  EXPECT_TRUE(has_line(trixie, "suite=trixie")) << trixie;
  EXPECT_TRUE(has_line(trixie, "components=main")) << trixie;
  EXPECT_TRUE(has_line(trixie, "omitdebsrc=true")) << trixie;
  const std::string security = section(text, "trixie-security");
  EXPECT_TRUE(has_line(security, "packages=")) << security;
  EXPECT_TRUE(has_line(security, "source=http://deb.debian.org/debian-security")) << security;
  EXPECT_TRUE(has_line(security, "suite=trixie-security")) << security;
  EXPECT_FALSE(section(text, "trixie-backports").empty());
  EXPECT_FALSE(section(text, "trixie-updates").empty());
}

TEST(MultistrapConfig, SectionNamesAreUniqueAndPlain) {
  const auto names = bs::section_names({{"http://a", "Trixie", {}},
                                        {"http://b", "trixie", {}},
                                        {"http://c", "bookworm+x", {}},
                                        {"http://d", "trixie", {}}});
  EXPECT_EQ(names, (std::vector<std::string>{"trixie", "trixie-2", "bookworm-x", "trixie-3"}));
}

TEST(MultistrapConfig, ComponentsDefaultToMainAndJoinWithSpaces) {
  auto settings = berth_toml_settings();
  settings.sources = {
      {"http://deb.debian.org/debian", "trixie", {"main", "contrib", "non-free-firmware"}},
      {"http://deb.debian.org/debian", "trixie-updates", {}}};
  const std::string text = bs::render_multistrap_config(settings);
  EXPECT_TRUE(has_line(section(text, "trixie"), "components=main contrib non-free-firmware"))
      << text;
  EXPECT_TRUE(has_line(section(text, "trixie-updates"), "components=main")) << text;
}

TEST(MultistrapConfig, RejectsValuesItsParserWouldSplit) {
  auto spaced = berth_toml_settings();
  spaced.directory = "/work dir/rootfs";
  EXPECT_THROW(bs::render_multistrap_config(spaced), sdk::Error);
  auto newline = berth_toml_settings();
  newline.sources[0].uri = "http://deb.debian.org/debian\nsuite=sid";
  EXPECT_THROW(bs::render_multistrap_config(newline), sdk::Error);
  auto none = berth_toml_settings();
  none.sources.clear();
  EXPECT_THROW(bs::render_multistrap_config(none), sdk::Error);
}

// multistrap itself parses the file (--simulate reads the config and exits; no network).
TEST(MultistrapConfig, MultistrapReadsItAsIntended) {
  if (::access(bs::kMultistrapProgram, X_OK) != 0) GTEST_SKIP() << "multistrap not installed";
  const fs::path file =
      fs::temp_directory_path() / ("multistrap-test-" + std::to_string(::getpid()) + ".conf");
  std::ofstream(file) << bs::render_multistrap_config(berth_toml_settings());
  const std::string command =
      std::string(bs::kMultistrapProgram) + " --simulate -f " + file.string() + " 2>&1";
  std::unique_ptr<FILE, decltype(&::pclose)> pipe(::popen(command.c_str(), "r"), &::pclose);
  ASSERT_TRUE(pipe);
  std::string output;
  std::array<char, 4096> buffer{};
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0;)
    output.append(buffer.data(), n);
  pipe.reset();
  fs::remove(file);
  EXPECT_NE(
      output.find("Sections to install:\ttrixie trixie-backports trixie-security trixie-updates"),
      std::string::npos)
      << output;
  EXPECT_NE(output.find("packages:\tbusybox-static docker.io iptables"), std::string::npos)
      << output;
  EXPECT_NE(output.find("'Priority required' packages are not included."), std::string::npos)
      << output;
  EXPECT_NE(output.find("APT::Default-Release: \n"), std::string::npos) << output;
  EXPECT_NE(output.find("Recommended packages are ignored."), std::string::npos) << output;
}

TEST(MultistrapAvailability, MissingMultistrapIsOneLineNamingTheAlternative) {
  try {
    bs::require_multistrap("/nonexistent/sbin/multistrap");
    FAIL() << "no error for a missing multistrap";
  } catch (const sdk::Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/sbin/multistrap"), std::string::npos) << message;
    EXPECT_NE(message.find("Debian 12"), std::string::npos) << message;
    EXPECT_NE(message.find("bootstrap-mmdebstrap"), std::string::npos) << message;
  }
  EXPECT_NO_THROW(bs::require_multistrap("/bin/sh"));
}

// --- what multistrap did -------------------------------------------------------------

constexpr const char* kAptOutput =
    "Building dependency tree...\n"
    "The following additional packages will be installed:\n"
    "  libc6 libgcc-s1\n"
    "Recommended packages:\n"
    "  apt | apt-utils ca-certificates\n"
    "The following NEW packages will be installed:\n"
    "  busybox-static gcc-14-base libc6 libgcc-s1\n"
    "  linux-sysctl-defaults\n"
    "0 upgraded, 5 newly installed, 0 to remove and 0 not upgraded.\n"
    "Need to get 0 B/3000 kB of archives.\n";

TEST(MultistrapOutput, ReadsAptsSelection) {
  EXPECT_EQ(bs::apt_new_packages(kAptOutput),
            (std::vector<std::string>{"busybox-static", "gcc-14-base", "libc6", "libgcc-s1",
                                      "linux-sysctl-defaults"}));
  EXPECT_TRUE(bs::apt_new_packages("E: Unable to locate package nosuch\n").empty());
}

TEST(MultistrapOutput, ReadsDpkgStatus) {
  EXPECT_EQ(bs::status_packages(
                "Package: tini\nVersion: 1\nStatus: install ok unpacked\n\nPackage: libc6\n"
                "Source: glibc\n"),
            (std::vector<std::string>{"tini", "libc6"}));
  EXPECT_EQ(bs::package_of_deb_name("busybox-static_1%3a1.37.0-6+b9_amd64.deb"), "busybox-static");
}

TEST(MultistrapUnpackCheck, AgreeingViews) {
  const auto check =
      bs::check_unpacked({"tini", "libc6"}, {"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb"},
                         {"libc6", "tini"}, {"libc6_2.41_amd64.deb"});
  EXPECT_EQ(check.wanted,
            (std::vector<std::string>{"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb"}));
  EXPECT_TRUE(check.unexpected.empty());
  EXPECT_TRUE(check.undownloaded.empty());
  EXPECT_TRUE(check.not_unpacked.empty());
}

TEST(MultistrapUnpackCheck, StaleSeedsAreUnexpectedAndTheFreshDownloadWanted) {
  // libc6 got a security update: the seeded 2.41-1 sits beside the downloaded 2.41-2,
  // and a package the archive no longer pulls in was seeded too.
  const auto check =
      bs::check_unpacked({"tini", "libc6"},
                         {"libc6_2.41-1_amd64.deb", "libc6_2.41-2_amd64.deb", "libold_1_amd64.deb",
                          "tini_0.19_amd64.deb"},
                         {"libc6", "libc6", "libold", "tini"},
                         {"libc6_2.41-1_amd64.deb", "libold_1_amd64.deb", "tini_0.19_amd64.deb"});
  EXPECT_EQ(check.wanted,
            (std::vector<std::string>{"libc6_2.41-2_amd64.deb", "tini_0.19_amd64.deb"}));
  EXPECT_EQ(check.unexpected,
            (std::vector<std::string>{"libc6_2.41-1_amd64.deb", "libold_1_amd64.deb"}));
}

TEST(MultistrapUnpackCheck, MissingDownloadsAndSkippedUnpacks) {
  const auto check = bs::check_unpacked(
      {"tini", "libc6", "runc"}, {"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb"}, {"libc6"}, {});
  EXPECT_EQ(check.undownloaded, (std::vector<std::string>{"runc"}));
  EXPECT_EQ(check.not_unpacked, (std::vector<std::string>{"tini"}));
}

}  // namespace
