// gui-xpra's `berth gui`: bad arguments get one line and exit 2 before anything runs; a start
// checks Docker, the display image and (xephyr) a parent display, hands the container its
// state directory, waits for the display to say it is ready, makes a password for xpra and
// names the display programs go to; stop and status. Docker is a fake on PATH that plays the
// display container's part (it writes the cookie and the ready file).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>

#include "script_root_test.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::gui_xpra {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kLib = fs::path(BERTH_SOURCE_DIR) / "plugins/gui-xpra/files/rootfs/usr/lib/berth";
// gui.sh sources import-docker's library (where an image came from) from the same directory.
const fs::path kImportLib =
    fs::path(BERTH_SOURCE_DIR) / "plugins/import-docker/files/rootfs/usr/lib/berth/import.sh";

// docker info: fails when $FAKE/down exists. docker images --filter label=...=MODE: prints
// $FAKE/image-MODE. docker image inspect [--format F] REF: $FAKE/id-<REF with / as _>. docker run:
// writes its arguments to $FAKE/run-NAME, and unless $FAKE/never-ready exists plays the display:
// cookie and ready in the directory mounted at /run/berth-gui. inspect/stop/rm/logs act on
// $FAKE/running-NAME.
constexpr const char* kFakeDocker = R"SH(#!/bin/sh
set -u
case $1 in
  info) [ ! -e "$FAKE/down" ] ;;
  images)
    mode=${3#label=io.berth.gui.display=}
    cat "$FAKE/image-$mode" 2>/dev/null || true
    ;;
  image)
    eval "ref=\${$#}"
    cat "$FAKE/id-$(echo "$ref" | tr / _)" 2>/dev/null
    ;;
  run)
    shift
    name= state= prev=
    for a in "$@"; do
      case $prev in --name) name=$a ;; -v) case $a in *:/run/berth-gui) state=${a%:*} ;; esac ;; esac
      prev=$a
    done
    printf '%s\n' "$@" >"$FAKE/run-$name"
    : >"$FAKE/running-$name"
    if [ ! -e "$FAKE/never-ready" ]; then
      echo cookie >"$state/cookie"
      : >"$state/ready"
    fi
    echo 0123456789ab
    ;;
  inspect)
    if [ "$2" = -f ]; then
      [ -e "$FAKE/running-$4" ] && echo true || echo false
    else
      [ -e "$FAKE/running-$2" ]
    fi
    ;;
  stop) rm -f "$FAKE/running-$4" ;;
  rm) rm -f "$FAKE/running-$3" ;;
  logs) echo "Xvfb: fatal server error" ;;
esac
)SH";

// ip -4 -o addr show scope global: one address, for the URL.
constexpr const char* kFakeIp = R"SH(#!/bin/sh
echo "2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0"
)SH";

class GuiCommand : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "fake");
    fs::permissions(dir_.write("bin/docker", kFakeDocker), fs::perms(0755));
    fs::permissions(dir_.write("bin/ip", kFakeIp), fs::perms(0755));
    // /usr/lib/berth as the image has it: gui-xpra's, import-docker's and the base's libraries.
    const fs::path lib = dir_.path() / "usr/lib/berth";
    fs::create_directories(lib);
    fs::create_symlink(kLib / "gui.sh", lib / "gui.sh");
    fs::create_symlink(kImportLib, lib / "import.sh");
    fs::create_symlink(test::lib_sh(), lib / "lib.sh");
  }

  ScriptOutcome run(const std::string& script) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.insert(argv.end(), {"-c", script});
    const std::string root = dir_.path().string();
    return test::run_script(argv, {"PATH=" + root + "/bin:/usr/bin:/bin", "FAKE=" + root + "/fake",
                                   "BERTH_TEST_ROOT=" + root});
  }

  // `berth gui ARGUMENTS` under the shell of this test.
  ScriptOutcome gui(const std::string& arguments) {
    const std::string shell = GetParam() == "busybox" ? "busybox sh" : GetParam();
    return run(shell + " '" + (kLib / "commands/gui").string() + "' " + arguments);
  }

  // An image labelled for MODE's display, imported FROM with TRUST (import-docker's record).
  void image(const std::string& mode, const std::string& reference,
             const std::string& from = "the boot medium", const std::string& trust = "trusted") {
    std::ofstream(dir_.path() / ("fake/image-" + mode), std::ios::app) << reference << "\n";
    std::string key = reference;
    std::replace(key.begin(), key.end(), '/', '_');
    const std::string id = "sha256:" + std::string(64, key.size() % 2 ? 'a' : 'b') + key;
    dir_.write("fake/id-" + key, id + "\n");
    fs::create_directories(dir_.path() / "var/lib/berth/import");
    std::ofstream(dir_.path() / "var/lib/berth/import/images", std::ios::app)
        << reference << '\t' << id << "\tx.tar\t" << from << "\tnow\t" << trust << '\n';
  }

  std::string file(const std::string& relative) {
    std::ifstream in(dir_.path() / relative);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  TempDir dir_;
};

TEST_P(GuiCommand, BadArgumentsGetOneLineAndStartNothing) {
  image("xpra", "berth/xpra:3.1");
  for (const auto& [arguments, message] : std::vector<std::pair<std::string, std::string>>{
           {"start bogus", "berth gui: unknown argument 'bogus' (see 'berth gui --help')\n"},
           {"start --port 70000",
            "berth gui: --port 70000 is not between 1 and 65535 (see 'berth gui --help')\n"},
           {"start --port x1",
            "berth gui: --port 'x1' is not a port number (see 'berth gui --help')\n"},
           {"start --size 12x",
            "berth gui: --size '12x' is not WIDTHxHEIGHT (see 'berth gui --help')\n"},
           {"start --size", "berth gui: --size needs WIDTHxHEIGHT (see 'berth gui --help')\n"},
           {"stop nowhere",
            "berth gui: unknown display 'nowhere' (xpra, xephyr or console) (see 'berth gui "
            "--help')\n"},
           {"", "berth gui: start, stop or status? (see 'berth gui --help')\n"},
           {"restart", "berth gui: unknown subcommand 'restart' (see 'berth gui --help')\n"},
       }) {
    const auto r = gui(arguments);
    EXPECT_EQ(r.status, 2) << arguments;
    EXPECT_EQ(r.err, message) << arguments;
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "fake/run-berth-gui-xpra"));
}

TEST_P(GuiCommand, AStartSaysWhatIsMissing) {
  dir_.write("fake/down", "");
  auto r = gui("start");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "berth gui: Docker is not running ('berth status' says why)\n");
  fs::remove(dir_.path() / "fake/down");

  r = gui("start xpra");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no image for the xpra display (one labelled io.berth.gui.display=xpra)"),
            std::string::npos)
      << r.err;

  image("xephyr", "berth/xephyr:latest");
  r = gui("start xephyr");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "berth gui: Xephyr opens its window on a running display: start one first ('berth "
            "gui start xpra' or 'berth gui start console')\n");
  EXPECT_FALSE(fs::exists(dir_.path() / "fake/run-berth-gui-xephyr"));
}

TEST_P(GuiCommand, XpraStartsWithAPasswordAndBecomesTheCurrentDisplay) {
  image("xpra", "berth/xpra:3.1");
  const auto r = gui("start --port 15000");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string password = file("run/berth/gui/xpra/password");
  EXPECT_TRUE(std::regex_match(password, std::regex("[0-9a-f]{24}"))) << password;
  struct stat info {};
  ASSERT_EQ(::stat((dir_.path() / "run/berth/gui/xpra/password").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // The address is the machine's (busybox runs its own `ip` applet before PATH).
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\n  browser:  http://[0-9.]+:15000/\\?password=" + password + "\n")))
      << r.out;
  EXPECT_NE(r.out.find("  password: " + password + "\n"), std::string::npos);

  const std::string args = file("fake/run-berth-gui-xpra");
  const std::string state = (dir_.path() / "run/berth/gui/xpra").string();
  for (const std::string& part : std::vector<std::string>{
           "-p\n15000:14500\n", "-e\nBERTH_GUI_DISPLAY=100\n", "-v\n" + state + ":/run/berth-gui\n",
           "-v\n" + state + "/X11-unix:/tmp/.X11-unix\n", "berth/xpra:3.1\n"}) {
    EXPECT_NE(args.find(part), std::string::npos) << part << "\n---\n" << args;
  }
  EXPECT_EQ(args.find("--privileged"), std::string::npos);
  EXPECT_EQ(file("run/berth/gui/current.env"), "mode=xpra\ndisplay=100\nsocket=" + state +
                                                   "/X11-unix/X100\ncookie=" + state + "/cookie\n");

  // Once more: it runs, so it only says so.
  const auto again = gui("start");
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("the xpra display is already running"), std::string::npos);

  const auto status = run("'" + (kLib / "status.d/80-gui").string() + "'");
  EXPECT_EQ(status.out, "displays: xpra :100 (current)\n");
}

TEST_P(GuiCommand, XephyrGetsItsParentsSocketAndCookieAndStoppingGoesBack) {
  image("xpra", "berth/xpra:3.1");
  image("xephyr", "berth/xephyr:latest");
  ASSERT_EQ(gui("start").status, 0);
  const auto r = gui("start xephyr --size 320x240");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string args = file("fake/run-berth-gui-xephyr");
  const std::string parent = (dir_.path() / "run/berth/gui/xpra").string();
  for (const std::string& part : std::vector<std::string>{
           "--network\nnone\n", "-e\nBERTH_GUI_PARENT_DISPLAY=100\n",
           "-e\nBERTH_GUI_SIZE=320x240\n", "-v\n" + parent + "/X11-unix/X100:/tmp/.X11-unix/X100\n",
           "-v\n" + parent + "/cookie:/run/berth-gui-parent/cookie:ro\n"}) {
    EXPECT_NE(args.find(part), std::string::npos) << part << "\n---\n" << args;
  }
  EXPECT_NE(file("run/berth/gui/current.env").find("mode=xephyr\ndisplay=101\n"),
            std::string::npos);

  // Stopping the parent takes Xephyr (whose window is on it) along.
  const auto stop = gui("stop xpra");
  EXPECT_EQ(stop.status, 0) << stop.err;
  EXPECT_EQ(stop.out,
            "berth gui: stopped the xephyr display\nberth gui: stopped the xpra display\n");
  EXPECT_FALSE(fs::exists(dir_.path() / "run/berth/gui/current.env"));
  EXPECT_FALSE(fs::exists(dir_.path() / "run/berth/gui/xpra"));
  EXPECT_EQ(gui("status").out,
            "no display is running; start one with 'berth gui start [xpra|xephyr|console]'\n");
}

TEST_P(GuiCommand, ADisplayThatNeverGetsReadyIsRemovedWithItsLastWords) {
  image("xpra", "berth/xpra:3.1");
  dir_.write("fake/never-ready", "");
  const auto r = gui("start --timeout 1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("  Xvfb: fatal server error\n"), std::string::npos) << r.err;
  EXPECT_NE(
      r.err.find("berth gui: the xpra display was not ready after 1 s (above: its last lines)"),
      std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "fake/running-berth-gui-xpra"));
  EXPECT_FALSE(fs::exists(dir_.path() / "run/berth/gui/current.env"));
}

// A stick's image labelled for a display is listed first (newest) but never taken: the
// display holds the password (xpra) or the whole machine (console).
TEST_P(GuiCommand, OnlyTheMediumsDisplayImageIsTakenUnlessOneIsNamed) {
  image("xpra", "evil/xpra:latest", "/dev/sdb1", "untrusted");
  image("xpra", "berth/xpra:3.1");
  const auto r = gui("start");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("berth gui: starting the xpra display :100 (berth/xpra:3.1)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(file("fake/run-berth-gui-xpra").find("\nberth/xpra:3.1\n"), std::string::npos);
  ASSERT_EQ(gui("stop").status, 0);

  // Named with --image, the user's choice runs.
  const auto named = gui("start --image evil/xpra:latest");
  ASSERT_EQ(named.status, 0) << named.err;
  EXPECT_NE(named.out.find("starting the xpra display :100 (evil/xpra:latest)"), std::string::npos)
      << named.out;
  ASSERT_EQ(gui("stop").status, 0);
  EXPECT_EQ(gui("start --image 'x;y'").err,
            "berth gui: --image 'x;y' is not an image reference (see 'berth gui --help')\n");
  EXPECT_EQ(gui("start --image example/none").err,
            "berth gui: no image example/none ('docker images' lists them)\n");

  // Only the stick's: none is taken, and the message says how to run it anyway.
  fs::remove(dir_.path() / "var/lib/berth/import/images");
  dir_.write("fake/image-console", "evil/console:latest\n");
  const auto only = gui("start console");
  EXPECT_EQ(only.status, 1);
  EXPECT_EQ(only.err,
            "berth gui: no image for the console display from the boot medium; "
            "evil/console:latest did not come from it: 'berth gui start console --image REF' "
            "runs one anyway\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, GuiCommand, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::gui_xpra
