// image-build: reading a recipe file. A good recipe gives every field; every bad one is a
// single error naming the file, the line, the table and key, and what is wrong.
#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "recipe.hpp"
#include "test_support.hpp"

namespace berth::image_build {
namespace {

using berth::test::TempDir;

// Line numbers matter: the error cases below refer to them.
const std::string kRecipe =
    "[image]\n"                // 1
    "name = \"berth/xpra\"\n"  // 2
    "tag = \"3.1\"\n"          // 3
    "[debian]\n"               // 4
    "suite = \"bookworm\"\n"   // 5
    "sources = [ { uri = \"http://deb.debian.org/debian\", suites = [\"bookworm\", "
    "\"bookworm-backports\"], components = [\"main\", \"contrib\"] },\n"  // 6
    "  { uri = \"http://deb.debian.org/debian-security\", suites = "
    "[\"bookworm-security\"] } ]\n"                                                       // 7
    "pins = [ { package = \"*\", release = \"bookworm-backports\", priority = 100 } ]\n"  // 8
    "[packages]\n"                                                                        // 9
    "include = [\"xpra\", \"xauth\"]\n"                                                   // 10
    "exclude = [\"/usr/share/doc/*\", \"/usr/lib/x86_64-linux-gnu/dri/*\"]\n"             // 11
    "keep = [\"/usr/share/doc/*/copyright\"]\n"                                           // 12
    "[files]\n"                                                                           // 13
    "rootfs = \"xpra-rootfs\"\n"                                                          // 14
    "[config]\n"                                                                          // 15
    "entrypoint = [\"/usr/local/bin/berth-display\"]\n"                                   // 16
    "cmd = []\n"                                                                          // 17
    "env = [\"LANG=C.UTF-8\"]\n"                                                          // 18
    "workdir = \"\"\n"                                                                    // 19
    "user = \"\"\n"                                                                       // 20
    "exposed_ports = [\"14500/tcp\", \"5353/udp\", \"8080\"]\n"                           // 21
    "labels = { \"io.berth.gui\" = \"display\" }\n";                                      // 22

std::string replaced(const std::string& from, const std::string& to) {
  std::string text = kRecipe;
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("no '" + from + "' in the recipe");
  return text.replace(at, from.size(), to);
}

class RecipeTest : public ::testing::Test {
 protected:
  RecipeTest() { fs::create_directories(dir_.path() / "xpra-rootfs/usr/local/bin"); }
  fs::path write(const std::string& text) const { return dir_.write("xpra.toml", text); }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

TEST_F(RecipeTest, EveryFieldOfAGoodRecipe) {
  const fs::path file = write(kRecipe);
  const ImageRecipe recipe = read_recipe(file);
  EXPECT_EQ(recipe.file, file);
  EXPECT_EQ(recipe.reference(), "berth/xpra:3.1");
  EXPECT_EQ(recipe.suite, "bookworm");
  // One source per (uri, suite); components default to main.
  ASSERT_EQ(recipe.sources.size(), 3u);
  EXPECT_EQ(recipe.sources[0].uri, "http://deb.debian.org/debian");
  EXPECT_EQ(recipe.sources[0].suite, "bookworm");
  EXPECT_EQ(recipe.sources[1].suite, "bookworm-backports");
  EXPECT_EQ(recipe.sources[1].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(recipe.sources[2].uri, "http://deb.debian.org/debian-security");
  EXPECT_EQ(recipe.sources[2].components, (std::vector<std::string>{"main"}));
  ASSERT_EQ(recipe.pins.size(), 1u);
  EXPECT_EQ(recipe.pins[0].package, "*");
  EXPECT_EQ(recipe.pins[0].release, "bookworm-backports");
  EXPECT_EQ(recipe.pins[0].priority, 100);
  EXPECT_EQ(recipe.include, (std::vector<std::string>{"xpra", "xauth"}));
  EXPECT_EQ(recipe.exclude,
            (std::vector<std::string>{"/usr/share/doc/*", "/usr/lib/x86_64-linux-gnu/dri/*"}));
  EXPECT_EQ(recipe.keep, (std::vector<std::string>{"/usr/share/doc/*/copyright"}));
  EXPECT_EQ(recipe.rootfs, dir().path() / "xpra-rootfs");
  const ImageConfig& config = recipe.config;
  EXPECT_EQ(config.entrypoint, (std::vector<std::string>{"/usr/local/bin/berth-display"}));
  EXPECT_TRUE(config.cmd.empty());
  // PATH is always there, first, ahead of the recipe's own variables.
  EXPECT_EQ(config.env, (std::vector<std::string>{kDefaultPath, "LANG=C.UTF-8"}));
  EXPECT_EQ(config.workdir, "");
  EXPECT_EQ(config.user, "");
  // A bare port is tcp, as with docker run -p.
  EXPECT_EQ(config.exposed_ports, (std::vector<std::string>{"14500/tcp", "5353/udp", "8080/tcp"}));
  EXPECT_EQ(config.labels, (std::map<std::string, std::string>{{"io.berth.gui", "display"}}));
}

TEST_F(RecipeTest, TheSmallestRecipeGetsTheDefaults) {
  const ImageRecipe recipe = read_recipe(
      write("[image]\nname = \"xterm\"\n[debian]\nsuite = \"trixie\"\n"
            "sources = [ { uri = \"http://deb.debian.org/debian\", suites = [\"trixie\"] } ]\n"
            "[packages]\ninclude = [\"xterm\"]\n"));
  EXPECT_EQ(recipe.reference(), "xterm:latest");
  EXPECT_TRUE(recipe.pins.empty());
  EXPECT_TRUE(recipe.exclude.empty());
  EXPECT_TRUE(recipe.rootfs.empty());
  EXPECT_EQ(recipe.config.env, (std::vector<std::string>{kDefaultPath}));
  EXPECT_TRUE(recipe.config.entrypoint.empty());
  EXPECT_TRUE(recipe.config.exposed_ports.empty());
}

TEST_F(RecipeTest, ARecipesOwnPathIsKept) {
  const auto recipe = read_recipe(
      write(replaced("env = [\"LANG=C.UTF-8\"]", "env = [\"PATH=/opt/bin:/usr/bin\"]")));
  EXPECT_EQ(recipe.config.env, (std::vector<std::string>{"PATH=/opt/bin:/usr/bin"}));
}

TEST_F(RecipeTest, AnAbsoluteRootfsIsTakenAsItIs) {
  const fs::path elsewhere = dir().path() / "elsewhere";
  fs::create_directories(elsewhere);
  const auto recipe = read_recipe(
      write(replaced("rootfs = \"xpra-rootfs\"", "rootfs = \"" + elsewhere.string() + "\"")));
  EXPECT_EQ(recipe.rootfs, elsewhere);
}

struct BadRecipe {
  std::string from;    // text of kRecipe to replace
  std::string to;      // what to put instead
  int line;            // the line the error points at; 0: the file without a line
  std::string label;   // "[image] tag"
  std::string reason;  // part of what is wrong
};

class BadRecipeTest : public RecipeTest, public ::testing::WithParamInterface<BadRecipe> {};

TEST_P(BadRecipeTest, OneLineNamingFileLineKeyAndProblem) {
  const BadRecipe& bad = GetParam();
  const fs::path file = write(replaced(bad.from, bad.to));
  const std::string where =
      bad.line ? file.string() + ":" + std::to_string(bad.line) : file.string();
  try {
    read_recipe(file);
    FAIL() << "accepted: " << bad.to;
  } catch (const sdk::ConfigError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(where + ": " + bad.label + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(bad.reason), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Recipe, BadRecipeTest,
    ::testing::Values(
        BadRecipe{"tag = \"3.1\"", "tag = 31", 3, "[image] tag",
                  "must be a string, not an integer"},
        BadRecipe{"tag = \"3.1\"", "tag = \"-rc\"", 3, "[image] tag", "starts with '-'"},
        BadRecipe{"tag = \"3.1\"", "tag = \"3 1\"", 3, "[image] tag", "holds ' '"},
        BadRecipe{"name = \"berth/xpra\"", "name = \"Berth/Xpra\"", 2, "[image] name",
                  "'Berth' is not a name component"},
        BadRecipe{"name = \"berth/xpra\"", "name = \"berth//xpra\"", 2, "[image] name",
                  "is not a name component"},
        BadRecipe{"name = \"berth/xpra\"", "nme = \"berth/xpra\"", 2, "[image] nme",
                  "unknown key ([image] has: name, tag)"},
        BadRecipe{"name = \"berth/xpra\"\n", "", 1, "[image] name", "missing"},
        BadRecipe{"[files]", "[file]", 13, "[file]", "unknown table"},
        BadRecipe{"[packages]\ninclude = [\"xpra\", \"xauth\"]\nexclude = [\"/usr/share/doc/*\", "
                  "\"/usr/lib/x86_64-linux-gnu/dri/*\"]\nkeep = [\"/usr/share/doc/*/copyright\"]\n",
                  "", 0, "[packages]", "missing"},
        BadRecipe{"suite = \"bookworm\"", "suite = \"book worm\"", 5, "[debian] suite",
                  "holds a space"},
        BadRecipe{"suite = \"bookworm\"", "suite = \"../up\"", 5, "[debian] suite",
                  "not a suite name"},
        BadRecipe{"uri = \"http://deb.debian.org/debian\",", "uri = \"deb.debian.org/debian\",", 6,
                  "[debian] sources[0] uri", "not an absolute URI"},
        BadRecipe{"suites = [\"bookworm-security\"]", "suite = [\"bookworm-security\"]", 7,
                  "[debian] sources[1] suite", "unknown key"},
        BadRecipe{"suites = [\"bookworm\", \"bookworm-backports\"]", "suites = []", 6,
                  "[debian] sources[0] suites", "empty"},
        BadRecipe{"suites = [\"bookworm\", \"bookworm-backports\"]", "suites = [\"bookworm\", 12]",
                  6, "[debian] sources[0] suites[1]", "must be a string, not an integer"},
        BadRecipe{"priority = 100", "priority = 40000", 8, "[debian] pins[0] priority",
                  "out of range"},
        BadRecipe{"release = \"bookworm-backports\", ", "", 8, "[debian] pins[0] release",
                  "missing"},
        BadRecipe{"include = [\"xpra\", \"xauth\"]", "include = []", 10, "[packages] include",
                  "empty"},
        BadRecipe{"include = [\"xpra\", \"xauth\"]", "include = [\"xpra,xauth\"]", 10,
                  "[packages] include[0]", "holds a comma"},
        BadRecipe{"exclude = [\"/usr/share/doc/*\"", "exclude = [\"usr/share/doc/*\"", 11,
                  "[packages] exclude[0]", "must start with '/'"},
        BadRecipe{"keep = [\"/usr/share/doc/*/copyright\"]", "keep = \"/usr/share/doc\"", 12,
                  "[packages] keep", "must be an array of strings, not a string"},
        BadRecipe{"rootfs = \"xpra-rootfs\"", "rootfs = \"no-such-dir\"", 14, "[files] rootfs",
                  "no-such-dir is not a directory"},
        BadRecipe{"env = [\"LANG=C.UTF-8\"]", "env = [\"LANG\"]", 18, "[config] env[0]",
                  "'LANG' is not NAME=VALUE"},
        BadRecipe{"env = [\"LANG=C.UTF-8\"]", "env = [\"LANG=C\", \"LANG=C.UTF-8\"]", 18,
                  "[config] env[1]", "LANG set twice"},
        BadRecipe{"\"14500/tcp\", ", "\"99999/tcp\", ", 21, "[config] exposed_ports[0]",
                  "PORT 1..65535"},
        BadRecipe{"\"14500/tcp\", ", "\"80/http\", ", 21, "[config] exposed_ports[0]",
                  "is not PORT[/tcp|udp|sctp]"},
        BadRecipe{"\"8080\"]", "\"8080\", \"8080/tcp\"]", 21, "[config] exposed_ports[3]",
                  "8080/tcp listed twice"},
        BadRecipe{"workdir = \"\"", "workdir = \"srv\"", 19, "[config] workdir",
                  "not an absolute path"},
        BadRecipe{"\"io.berth.gui\" = \"display\"", "\"io.berth.gui\" = 1", 22,
                  "[config] labels.io.berth.gui", "must be a string, not an integer"},
        BadRecipe{"cmd = []", "cmd = \"sh\"", 17, "[config] cmd",
                  "must be an array of strings, not a string"},
        BadRecipe{"user = \"\"", "user = \"\"\nvolumes = [\"/data\"]", 21, "[config] volumes",
                  "unknown key"}));

TEST_F(RecipeTest, ASyntaxErrorNamesFileAndLine) {
  const fs::path file = write(replaced("tag = \"3.1\"", "tag = \"3.1"));
  try {
    read_recipe(file);
    FAIL() << "accepted a broken string";
  } catch (const sdk::ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(file.string() + ":3: ", 0), 0u) << error.what();
  }
}

TEST_F(RecipeTest, AMissingFileIsNamed) {
  const fs::path file = dir().path() / "nope.toml";
  try {
    read_recipe(file);
    FAIL() << "read a missing file";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find(file.string() + ": no such recipe file"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace berth::image_build
