// bootstrap-mmdebstrap: the command line it runs and reading back what was extracted.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "berth/sdk/error.hpp"
#include "mmdebstrap_args.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace bs = berth::bootstrap;

bs::MmdebstrapSettings settings() {
  bs::MmdebstrapSettings s;
  s.rootfs = "/work/rootfs";
  s.architecture = "amd64";
  s.suite = "trixie";
  s.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  s.sources = {{"http://deb.debian.org/debian", "trixie", {"main"}},
               {"http://deb.debian.org/debian", "trixie-backports", {"main", "contrib"}},
               {"http://deb.debian.org/debian-security", "trixie-security", {}}};
  s.packages = {"busybox-static", "docker.io", "iptables"};
  return s;
}

bool contains(const std::vector<std::string>& argv, const std::string& arg) {
  return std::find(argv.begin(), argv.end(), arg) != argv.end();
}

TEST(MmdebstrapArgs, ExtractOnlyWithTheRequestedPackages) {
  const auto argv = bs::mmdebstrap_argv(settings());
  ASSERT_FALSE(argv.empty());
  EXPECT_EQ(argv.front(), "/usr/bin/mmdebstrap");
  for (const std::string arg :
       {"--variant=extract", "--mode=root", "--format=directory", "--architectures=amd64",
        "--keyring=/usr/share/keyrings/debian-archive-keyring.gpg",
        "--include=busybox-static,docker.io,iptables", "--skip=check/empty", "--skip=chroot/mount",
        "--skip=cleanup/apt/cache"}) {
    EXPECT_TRUE(contains(argv, arg)) << "missing " << arg;
  }
}

TEST(MmdebstrapArgs, SuiteTargetThenOneMirrorPerSource) {
  const auto argv = bs::mmdebstrap_argv(settings());
  const auto suite = std::find(argv.begin(), argv.end(), "trixie");
  ASSERT_NE(suite, argv.end());
  ASSERT_GE(argv.end() - suite, 5);
  // Options only before the positional arguments.
  EXPECT_TRUE(std::all_of(argv.begin() + 1, suite,
                          [](const std::string& a) { return a.rfind("--", 0) == 0; }));
  EXPECT_EQ(*(suite + 1), "/work/rootfs");
  EXPECT_EQ(*(suite + 2), "deb [arch=amd64] http://deb.debian.org/debian trixie main");
  EXPECT_EQ(*(suite + 3),
            "deb [arch=amd64] http://deb.debian.org/debian trixie-backports main contrib");
  EXPECT_EQ(*(suite + 4),
            "deb [arch=amd64] http://deb.debian.org/debian-security trixie-security main");
  EXPECT_EQ(suite + 5, argv.end());
}

TEST(MmdebstrapArgs, RefusesAnEmptyRequest) {
  auto no_packages = settings();
  no_packages.packages.clear();
  EXPECT_THROW(bs::mmdebstrap_argv(no_packages), sdk::Error);
  auto no_sources = settings();
  no_sources.sources.clear();
  EXPECT_THROW(bs::mmdebstrap_argv(no_sources), sdk::Error);
}

// The extract hook is a shell command; run it the way mmdebstrap does (sh -c CMD exec
// ROOT) and check it lists exactly the extracted files inside the rootfs.
TEST(MmdebstrapArgs, ExtractHookWritesTheExtractedList) {
  const auto argv = bs::mmdebstrap_argv(settings());
  const auto hook = std::find_if(argv.begin(), argv.end(), [](const std::string& a) {
    return a.rfind("--extract-hook=", 0) == 0;
  });
  ASSERT_NE(hook, argv.end());
  const std::string command = hook->substr(std::string("--extract-hook=").size());

  const fs::path root =
      fs::temp_directory_path() / ("mmdebstrap hook test " + std::to_string(::getpid()));
  fs::create_directories(root / "var" / "cache" / "apt");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv(
        "MMDEBSTRAP_ESSENTIAL",
        "/var/cache/apt/archives/libc6_2.41_amd64.deb /var/cache/apt/archives/tini_0.19_amd64.deb",
        1);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "exec", root.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::ifstream in(root / bs::kExtractedList);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove_all(root);
  EXPECT_EQ(text.str(),
            "/var/cache/apt/archives/libc6_2.41_amd64.deb\n/var/cache/apt/archives/"
            "tini_0.19_amd64.deb\n");
  EXPECT_EQ(bs::extracted_debs(text.str()),
            (std::vector<std::string>{"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb"}));
}

TEST(MmdebstrapArgs, MissingMmdebstrapIsOneLine) {
  try {
    bs::require_mmdebstrap("/nonexistent/bin/mmdebstrap");
    FAIL() << "no error for a missing mmdebstrap";
  } catch (const sdk::Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/bin/mmdebstrap"), std::string::npos) << message;
  }
}

}  // namespace
