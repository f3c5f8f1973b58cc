// import-docker's jq without regular expressions: the [import] jq key, the hook it adds, the
// build chroot's packages from jq's debian/control, configure's flags, the version script,
// the checks of the result, the cache key, the install into the rootfs; and that no jq
// filter Berth ships asks for a regular expression (jq built without Oniguruma refuses them).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/plugin.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "berth/sdk/testing/hook_registry.hpp"
#include "jq_install.hpp"
#include "jq_recipe.hpp"
#include "settings.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace berth::import_docker {
namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

sdk::ConfigTable jq_table(const std::string& value) {
  sdk::ConfigTable table("import", "berth.toml:3");
  table.set("jq", {value, "berth.toml:5"});
  return table;
}

std::vector<std::string> hook_names(const sdk::ConfigTable& table) {
  sdk::testing::RecordingHookRegistry hooks;
  std::unique_ptr<sdk::Plugin>(berth_plugin_create())->register_hooks(table, hooks);
  std::vector<std::string> names;
  for (const auto& hook : hooks.hooks) names.push_back(hook.name);
  return names;
}

TEST(ImportDockerJq, WithoutRegexUnlessDebiansJqIsAsked) {
  EXPECT_EQ(read_settings(sdk::ConfigTable("import", "berth.toml:3")).jq, JqBuild::without_regex);
  EXPECT_EQ(read_settings(jq_table("debian")).jq, JqBuild::debian);
  EXPECT_EQ(read_settings(jq_table("without-regex")).jq, JqBuild::without_regex);
}

TEST(ImportDockerJq, UnknownValueIsAConfigErrorAtItsLine) {
  try {
    read_settings(jq_table("static"));
    FAIL() << "accepted jq = \"static\"";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:5"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("'static'"), std::string::npos);
  }
}

// The importer's check names a missing jq first; the build replaces the program after it.
TEST(ImportDockerJq, BuildHookFollowsTheImportersCheckUnlessDebian) {
  EXPECT_EQ(hook_names(sdk::ConfigTable("import", "berth.toml:3")),
            (std::vector<std::string>{"image importer", "jq (without regex)",
                                      "image archives to berth/images"}));
  EXPECT_EQ(hook_names(jq_table("debian")),
            (std::vector<std::string>{"image importer", "image archives to berth/images"}));
}

// The Build-Depends of trixie's jq 1.7.1-6+deb13u4.
constexpr const char* kControl =
    "Source: jq\nSection: utils\nPriority: optional\n"
    "Build-Depends: debhelper-compat (= 13),\n               bison,\n               flex,\n"
    "               libonig-dev,\n               libtool,\n               python3-jinja2,\n"
    "               python3-yaml,\n               python3-markdown,\n"
    "               python3-lxml,\n               python3-jsonschema,\n"
    "               valgrind [amd64],\nStandards-Version: 4.6.2\n\n"
    "Package: jq\nArchitecture: any\n";

TEST(ImportDockerJq, ChrootHasTheCompilersToolsAndNoOniguruma) {
  EXPECT_EQ(jq_chroot_packages(kControl),
            (std::vector<std::string>{"bison", "flex", "libtool", "autoconf", "automake"}));
}

TEST(ImportDockerJq, ConfigureLeavesOutOnigurumaAndLinksLibjqIn) {
  const auto args = jq_configure_args();
  EXPECT_TRUE(contains(args, "--without-oniguruma"));
  EXPECT_TRUE(contains(args, "--disable-shared"));
  EXPECT_TRUE(contains(args, "--enable-static"));
  EXPECT_TRUE(contains(args, "--disable-docs"));
  EXPECT_TRUE(contains(args, "--prefix=/usr"));
  EXPECT_EQ(jq_buildflags_env(),
            std::vector<std::string>{"DEB_BUILD_MAINT_OPTIONS=hardening=+all"});
}

// Debian's patch pins "1.7"; the built program says the upstream version it comes from.
TEST(ImportDockerJq, VersionScriptAndCheckUseTheUpstreamVersion) {
  EXPECT_EQ(jq_version_script("1.7.1-6+deb13u4"), "#!/bin/sh\necho '1.7.1'\n");
  EXPECT_TRUE(jq_reports_version("jq-1.7.1\n", "1.7.1-6+deb13u4"));
  EXPECT_TRUE(jq_reports_version("jq-1.7.1", "1.7.1-6+deb13u4"));
  EXPECT_FALSE(jq_reports_version("jq-1.7\n", "1.7.1-6+deb13u4"));
  EXPECT_FALSE(jq_reports_version("jq-1.7.11\n", "1.7.1-6+deb13u4"));
  EXPECT_FALSE(jq_reports_version("", "1.7.1-6+deb13u4"));
}

TEST(ImportDockerJq, OnigurumaAndASharedLibjqAreUnwanted) {
  const std::string debian =
      " 0x0000000000000001 (NEEDED)             Shared library: [libjq.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libm.so.6]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libonig.so.5]\n"
      " 0x000000000000000e (SONAME)             Library soname: [libonig.so.5]\n";
  EXPECT_EQ(jq_unwanted_libraries(debian),
            (std::vector<std::string>{"libjq.so.1", "libonig.so.5"}));
  const std::string built =
      " 0x0000000000000001 (NEEDED)             Shared library: [libm.so.6]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]\n";
  EXPECT_TRUE(jq_unwanted_libraries(built).empty());
}

TEST(ImportDockerJq, KeyNamesSourceFlagsAndChroot) {
  JqKeyParts parts{{"jq", "1.7.1-6+deb13u4"}, {"CFLAGS=-g -O2"}, {"bison=2:3.8.2+dfsg-1+b2"}};
  const std::string key = jq_key_text(parts);
  EXPECT_NE(key.find("source jq 1.7.1-6+deb13u4\n"), std::string::npos);
  EXPECT_NE(key.find("--without-oniguruma"), std::string::npos);
  EXPECT_NE(key.find("flags CFLAGS=-g -O2\n"), std::string::npos);
  EXPECT_NE(key.find("chroot bison=2:3.8.2+dfsg-1+b2\n"), std::string::npos);
  auto changed = parts;
  changed.source.version = "1.7.1-6+deb13u5";
  EXPECT_NE(jq_key_text(changed), key);
  changed = parts;
  changed.flags = {"CFLAGS=-g -O3"};
  EXPECT_NE(jq_key_text(changed), key);
  changed = parts;
  changed.chroot_packages = {"bison=2:3.8.2+dfsg-1+b3"};
  EXPECT_NE(jq_key_text(changed), key);
}

const std::filesystem::path kLabelsJq =
    std::filesystem::path(BERTH_SOURCE_DIR) /
    "plugins/import-docker/files/rootfs/usr/lib/berth/labels.jq";

// The sample the build checks its jq with, through the host's jq: labels.jq and the sample
// still agree (a change to either shows here, not first in a build).
TEST(ImportDockerJq, SampleLabelsReadAsTheBuildExpects) {
  if (test::find_program("jq").empty()) GTEST_SKIP() << "no jq on this host";
  test::TempDir dir;
  const auto sample = dir.path() / "labels.json";
  std::ofstream(sample) << kSampleLabels;
  const auto outcome = test::run_script({"jq", "-r", "-f", kLabelsJq.string(), sample.string()});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.out, kSampleLabelsOutput);
}

// Every jq filter Berth ships: labels.jq, and the quoted filter of each `jq -...` command in
// the plugins' on-target scripts.
std::vector<std::pair<std::string, std::string>> shipped_filters() {
  std::vector<std::pair<std::string, std::string>> filters;
  const auto plugins = std::filesystem::path(BERTH_SOURCE_DIR) / "plugins";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(plugins)) {
    if (!entry.is_regular_file()) continue;
    const auto path = entry.path().string();
    if (path.find("/files/rootfs/") == std::string::npos) continue;
    const std::string text = sdk::read_text(entry.path());
    if (entry.path().extension() == ".jq") {
      filters.emplace_back(path, text);
      continue;
    }
    for (auto at = text.find("jq -"); at != std::string::npos; at = text.find("jq -", at + 1)) {
      if (at > 0 &&
          (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) {
        continue;
      }
      const auto open = text.find('\'', at);
      if (open == std::string::npos) break;
      const auto close = text.find('\'', open + 1);
      if (close == std::string::npos) break;
      // `jq -r -f FILE`: the filter is a .jq file, read above.
      if (text.substr(at, open - at).find(" -f ") != std::string::npos) continue;
      filters.emplace_back(path, text.substr(open + 1, close - open - 1));
    }
  }
  return filters;
}

TEST(ImportDockerJq, NoShippedFilterAsksForARegularExpression) {
  const auto filters = shipped_filters();
  // labels.jq, import.sh's two, docker-supervise's merge, remote-tls.sh's and 64-proxy's
  // drop-ins: the scan finds them all.
  EXPECT_GE(filters.size(), 6u);
  // jq's regex builtins; split/2 takes a regex (split/1 a plain string); ascii_downcase
  // and friends need none.
  static const std::regex kRegexBuiltin(
      R"((^|[^A-Za-z0-9_$])(test|match|capture|scan|splits|sub|gsub)\s*\(|(^|[^A-Za-z0-9_$])split\s*\([^;()]*;)");
  for (const auto& [path, filter] : filters) {
    EXPECT_FALSE(std::regex_search(filter, kRegexBuiltin))
        << path << " has a jq filter with a regular expression, which jq built without "
        << "Oniguruma refuses: " << filter;
  }
}

TEST(ImportDockerJq, BuiltProgramReplacesDebiansAndIsNamedInContents) {
  sdk::testing::FakeBuildContext ctx("import-docker");
  const auto root = ctx.rootfs();
  std::filesystem::create_directories(root / "usr/bin");
  std::ofstream(root / "usr/bin/jq") << "debian program";
  std::filesystem::create_directories(root / "usr/lib/x86_64-linux-gnu");
  std::ofstream(root / "usr/lib/x86_64-linux-gnu/libjq.so.1.0.4") << "debian library";
  std::filesystem::create_symlink("usr/bin", root / "bin");

  const BuiltJq built{ctx.cache_dir() / "import-docker/jq-x", {"jq", "1.7.1-6+deb13u4"}};
  std::filesystem::create_directories(built.root / "usr/bin");
  std::ofstream(built.root / "usr/bin/jq") << "built program";
  std::filesystem::permissions(built.root / "usr/bin/jq", std::filesystem::perms(0755));
  install_built_jq(ctx, built);

  EXPECT_EQ(sdk::read_text(root / "usr/bin/jq"), "built program");
  EXPECT_EQ(sdk::lstat_of(root / "usr/bin/jq").st_mode & 07777, 0755u);
  // The strip list, not the install, takes Debian's library.
  EXPECT_EQ(sdk::read_text(root / "usr/lib/x86_64-linux-gnu/libjq.so.1.0.4"), "debian library");
  const auto lists = ctx.lookup(sdk::facts::kFileOwners);
  ASSERT_TRUE(lists.has_value());
  EXPECT_EQ(sdk::read_text(*lists), "usr/bin/jq\tjq-without-regex\n");
  EXPECT_EQ(ctx.sizes.count("import-docker: jq (without regex)"), 1u);
}

TEST(ImportDockerJq, ADamagedCacheEntryIsNamed) {
  sdk::testing::FakeBuildContext ctx("import-docker");
  const BuiltJq built{ctx.cache_dir() / "import-docker/jq-x", {"jq", "1.7.1-6+deb13u4"}};
  try {
    install_built_jq(ctx, built);
    FAIL() << "installed from an empty cache entry";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("jq-x holds no usr/bin/jq"), std::string::npos);
  }
}

}  // namespace
}  // namespace berth::import_docker
