#include "apt_fetcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.hpp"

namespace berth::core {
namespace {

sdk::DebianSources sources() {
  sdk::DebianSources debian;
  debian.suite = "trixie";
  debian.architecture = "amd64";
  debian.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  debian.sources = {
      {"http://deb.debian.org/debian", "trixie", {"main"}},
      {"http://deb.debian.org/debian-security", "trixie-security", {"main", "contrib"}}};
  debian.pins = {{"*", "trixie-backports", 100}, {"jq", "a=trixie-backports", 990}};
  return debian;
}

TEST(AptFetcher, SourcesListUsesTheConfiguredKeyring) {
  EXPECT_EQ(AptFetcher::sources_list(sources()),
            "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian trixie main\n"
            "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian-security "
            "trixie-security main contrib\n");
}

TEST(AptFetcher, PreferencesPinByCodenameUnlessExplicit) {
  EXPECT_EQ(AptFetcher::preferences(sources()),
            "Package: *\nPin: release n=trixie-backports\nPin-Priority: 100\n\n"
            "Package: jq\nPin: release a=trixie-backports\nPin-Priority: 990\n\n");
}

TEST(AptFetcher, ParsesPrintUrisLinesWithEpochs) {
  const auto package = AptFetcher::parse_uri_line(
      "'http://deb.debian.org/debian/pool/main/b/busybox/busybox-static_1%3a1.37.0-6_amd64.deb' "
      "busybox-static_1%3a1.37.0-6_amd64.deb 1234 SHA256:abc");
  EXPECT_EQ(package.name, "busybox-static");
  EXPECT_EQ(package.version, "1:1.37.0-6");
  EXPECT_EQ(package.deb, "busybox-static_1%3a1.37.0-6_amd64.deb");
}

TEST(AptFetcher, RejectsGarbage) {
  EXPECT_ANY_THROW(AptFetcher::parse_uri_line("'x' not-a-deb 1 2"));
}

TEST(AptFetcher, OptionsKeepTheHostConfigurationOut) {
  test::TempDir dir;
  AptFetcher fetcher(sources(), dir.path(), [](const auto&, const auto&) { return std::string(); });
  const auto options = fetcher.apt_options();
  auto has = [&](const std::string& prefix) {
    return std::any_of(options.begin(), options.end(),
                       [&](const std::string& option) { return option.rfind(prefix, 0) == 0; });
  };
  for (const char* key :
       {"Dir::Etc::SourceList=", "Dir::Etc::SourceParts=", "Dir::Etc::Preferences=",
        "Dir::Etc::PreferencesParts=", "Dir::State::status=", "Dir::Cache::archives="}) {
    EXPECT_TRUE(has(key)) << key;
  }
  for (const auto& option : options) {
    EXPECT_EQ(option.find("=/etc/"), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace berth::core

namespace berth::core {
namespace {

TEST(AptFetcher, SimulationGivesExactVersionsOfEveryPackage) {
  const auto wanted = AptFetcher::parse_simulation(
      "NOTE: This is only a simulation!\n"
      "Inst gcc-14-base (14.2.0-19 Debian:13.2/stable [amd64])\n"
      "Inst busybox-static (1:1.37.0-6+b9 Debian:13.2/stable [amd64])\n"
      "Conf busybox-static (1:1.37.0-6+b9 Debian:13.2/stable [amd64])\n");
  EXPECT_EQ(wanted,
            (std::vector<std::string>{"gcc-14-base=14.2.0-19", "busybox-static=1:1.37.0-6+b9"}));
}

}  // namespace
}  // namespace berth::core
