// The CLI end to end, in-process: exit codes, one-line errors, nothing in out/ on error.
#include "cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

CliRun run(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  args.insert(args.begin(), "berth");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  const int status = run_cli(static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {status, out.str(), err.str()};
}

std::string config_text(const std::string& sections) {
  return "[berth]\nplugin_path = [\"" + test::test_plugin_dir().string() + "\"]\n" +
         test::kDebianSection + sections;
}

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(run({"--version"}).status, 0);
  EXPECT_NE(run({"--version"}).out.find("plugin ABI"), std::string::npos);
  const auto help = run({"--help"});
  EXPECT_EQ(help.status, 0);
  for (const char* command : {"build", "plan", "plugins"})
    EXPECT_NE(help.out.find(command), std::string::npos);
}

TEST(Cli, UnknownCommandIsAUsageError) {
  const auto result = run({"frobnicate"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(Cli, PlanListsStagesAndHooks) {
  TempDir dir;
  const auto config = dir.write("p.toml", config_text("[t]\nplugin = \"test-good\"\n"));
  const auto result = run({"plan", "-c", config.string()});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("[t] test-good 1.0 (test)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("50  test-good/marker"), std::string::npos) << result.out;
}

TEST(Cli, ConfigErrorIsOneLineAndWritesNothing) {
  TempDir dir;
  const auto config =
      dir.write("bad.toml", config_text("[t]\nplugin = \"test-good\"\ncount = true\n"));
  const auto out = dir.path() / "out";
  const auto result =
      run({"build", "-c", config.string(), "-o", out.string(), "-w", (dir.path() / "w").string()});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_NE(result.err.find("bad.toml:10: [t] count must be an integer, not a boolean"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, ErrorThrownByAPluginIsPrintedAfterTheSessionIsGone) {
  TempDir dir;
  const auto config =
      dir.write("neg.toml", config_text("[t]\nplugin = \"test-good\"\ncount = -1\n"));
  const auto result = run({"plan", "-c", config.string()});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("neg.toml:10: [t] count: must not be negative"), std::string::npos)
      << result.err;
}

TEST(Cli, BuildRunsHooksAndPublishesOutput) {
  if (::geteuid() != 0) GTEST_SKIP() << "berth build needs root";
  TempDir dir;
  const auto config =
      dir.write("ok.toml", config_text("[t]\nplugin = \"test-good\"\nmessage = \"made it\"\n"));
  const auto out = dir.path() / "out";
  const auto result =
      run({"build", "-c", config.string(), "-o", out.string(), "-w", (dir.path() / "w").string(),
           "--cache", (dir.path() / "cache").string()});
  ASSERT_EQ(result.status, 0) << result.err;
  std::ifstream marker(out / "t.txt");
  std::string line;
  std::getline(marker, line);
  EXPECT_EQ(line, "made it");
  // The manifest names the code that made the image: each plugin, its file and its hash.
  std::ifstream manifest(out / "manifest.txt");
  const std::string manifest_text((std::istreambuf_iterator<char>(manifest)), {});
  const std::string plugin_file = (test::test_plugin_dir() / "test-good.so").string();
  const std::size_t record = manifest_text.find("plugin test-good 1.0 ");
  ASSERT_NE(record, std::string::npos) << manifest_text;
  const std::string record_line =
      manifest_text.substr(record, manifest_text.find('\n', record) - record);
  EXPECT_NE(record_line.find(" " + plugin_file + " stdlib=libstdc++/cxx11;"), std::string::npos)
      << record_line;
  const std::string hash = record_line.substr(std::string("plugin test-good 1.0 ").size(), 64);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << record_line;
  EXPECT_TRUE(fs::exists(out / "build-report.txt"));
  EXPECT_TRUE(fs::exists(out / "SHA256SUMS"));
}

TEST(Cli, FailingHookNamesStageAndPluginAndLeavesOutputAlone) {
  if (::geteuid() != 0) GTEST_SKIP() << "berth build needs root";
  TempDir dir;
  dir.write("out/previous.iso", "keep me");
  const auto config =
      dir.write("f.toml", config_text("[t]\nplugin = \"test-good\"\nfail = true\n"));
  const auto result =
      run({"build", "-c", config.string(), "-o", (dir.path() / "out").string(), "-w",
           (dir.path() / "w").string(), "--cache", (dir.path() / "cache").string()});
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.err.find("customize: test-good/marker: asked to fail"), std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::exists(dir.path() / "out/previous.iso"));
  EXPECT_FALSE(fs::exists(dir.path() / "out/t.txt"));
}

}  // namespace
}  // namespace berth::core
