// Programs with windows on the GUI test build (tests/test-gui-iso.toml: the test ISO plus the
// gui-xpra plugin's display images and berth/xterm), checked by looking at them as a person
// would: a browser on the host showing Xpra's HTML5 client, a picture of Xephyr's nested
// screen, and qemu's own screen for the console display. The test program is xterm with a
// magenta background: a colour nothing else on these screens has.
#include <gtest/gtest.h>

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "base64.hpp"
#include "docker_checks.hpp"
#include "host_command.hpp"
#include "local_port.hpp"
#include "pixels.hpp"
#include "qemu_monitor.hpp"
#include "test_env.hpp"
#include "web_driver.hpp"
#include "xwd_image.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr Rgb kMagenta{0xff, 0x00, 0xff};
constexpr int kMagentaTolerance = 24;
// The xterm window is 60x15 characters (about 360x195 pixels): a frame with this many magenta
// pixels shows it, whatever text and cursor cover.
constexpr std::size_t kXtermPixels = 20000;
// The console display's root window (xsetroot in its entry script).
constexpr Rgb kConsoleColour{0x2e, 0x4a, 0x62};
constexpr int kConsoleTolerance = 8;
// The test program through its wrapper (whose arguments are xterm's), in the background so
// the shell stays free; a subshell, so no job-control line lands in later output.
constexpr const char* kStartXterm =
    "(xterm -bg '#ff00ff' -geometry 60x15+40+40 </dev/null >/tmp/xterm.log 2>&1 &)";
// Importing the display images at boot takes minutes under TCG.
constexpr std::chrono::seconds kImportTimeout = 600s;

fs::path gui_iso() {
  return gui_test_out_dir() / "berth.iso";
}

// A file beside this test's console log: <suite>.<test><suffix>.
fs::path log_beside(const std::string& suffix) {
  fs::path path = current_test_log();
  path.replace_extension(suffix);
  return path;
}

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The GUI ISO on a SeaBIOS CD with room for Xpra, Xephyr and Xorg.
GuestOptions gui_guest() {
  GuestOptions options = berth_guest(BootMode::SeabiosCd);
  options.iso = gui_iso();
  options.memory_mib = 3072;
  return options;
}

// Shell, Docker and the boot's import of the ISO's images (the displays and xterm).
void boot_ready(QemuGuest& guest) {
  guest.wait_for_shell();
  wait_for_docker(guest, kImportTimeout);
  wait_for_boot_import(guest, kImportTimeout);
  const CommandResult images = guest.run(
      "docker image inspect -f '{{.Id}}' berth/xpra:3.1 berth/xephyr:latest berth/console:latest "
      "berth/xterm:latest >/dev/null");
  if (!images.ok()) {
    throw sdk::Error("the GUI images were not all imported at boot: " + images.output +
                     "\n`berth images`:\n" + guest.run("berth images").output);
  }
}

// `berth gui start ARGS`; what it printed (the display's address and password).
std::string start_display(QemuGuest& guest, const std::string& mode, const std::string& args = "") {
  const CommandResult r =
      guest.run("berth gui start " + mode + " --timeout 480" + args + " 2>&1", 540s);
  if (!r.ok()) {
    throw sdk::Error("`berth gui start " + mode + args + "` exited " + std::to_string(r.status) +
                     ":\n" + r.output + "\n--- docker logs berth-gui-" + mode + " ---\n" +
                     guest.run("docker logs --tail 30 berth-gui-" + mode + " 2>&1").output);
  }
  return r.output;
}

// The HEX of the line "  password: HEX" in `berth gui start xpra`'s output.
std::string password_in(const std::string& output) {
  const std::string key = "  password: ";
  const std::size_t at = output.find(key);
  if (at == std::string::npos) return {};
  const std::size_t from = at + key.size();
  return output.substr(from, output.find('\n', from) - from);
}

// The running container of the test program (the wrapper names none).
std::string xterm_container(QemuGuest& guest) {
  const CommandResult found =
      guest.retry("docker ps -q --filter ancestor=berth/xterm:latest | grep .", 180s, 2000ms);
  if (!found.ok()) {
    throw sdk::Error("no berth/xterm container is running; /tmp/xterm.log:\n" +
                     guest.run("cat /tmp/xterm.log").output);
  }
  return found.output.substr(0, found.output.find('\n'));
}

// What the program's container was given: not privileged, not the host's network, and of
// the X11 sockets only display :number's, as a single file.
void expect_only_its_display(QemuGuest& guest, const std::string& container, int number) {
  const std::string socket = "X" + std::to_string(number);
  const std::string host_config =
      guest
          .check("docker inspect -f '{{.HostConfig.Privileged}} {{.HostConfig.NetworkMode}}' " +
                 container)
          .output;
  EXPECT_TRUE(host_config.starts_with("false ")) << host_config;
  EXPECT_EQ(host_config.find("host"), std::string::npos) << host_config;

  const std::string mounts =
      guest
          .check(
              "docker inspect -f '{{range .Mounts}}{{.Destination}} {{.Source}}{{\"\\n\"}}"
              "{{end}}' " +
              container)
          .output;
  std::vector<std::string> x11;
  std::istringstream lines(mounts);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("/tmp/.X11-unix")) x11.push_back(line);
  }
  ASSERT_EQ(x11.size(), 1u) << mounts;
  const std::string destination = x11[0].substr(0, x11[0].find(' '));
  const std::string source = x11[0].substr(x11[0].find(' ') + 1);
  EXPECT_EQ(destination, "/tmp/.X11-unix/" + socket) << mounts;
  EXPECT_TRUE(guest.run("[ -S '" + source + "' ]").ok()) << source << " is not a socket";
  EXPECT_EQ(guest.check("docker exec " + container + " ls -A /tmp/.X11-unix").output,
            socket + "\n");
}

// --- what the browser shows ------------------------------------------------------------------

struct Frame {
  std::string png;
  std::size_t magenta = 0;
};

Frame take_frame(WebDriver& browser) {
  Frame frame;
  frame.png = browser.screenshot_png();
  frame.magenta = count_near(decode_png(frame.png), kMagenta, kMagentaTolerance);
  return frame;
}

// --- the nested screen -----------------------------------------------------------------------

// A picture of Xephyr's screen taken in its container with xwd, brought to the host through
// the console (gzip + base64: a few KB) and decoded.
Image xephyr_screen(QemuGuest& guest, const TempDir& dir) {
  guest.check(
      "docker exec -e DISPLAY=:101 -e XAUTHORITY=/run/berth-gui/cookie berth-gui-xephyr "
      "xwd -root -silent -out /run/berth-gui/shot.xwd",
      120s);
  const std::string text =
      guest.check("gzip -c /run/berth/gui/xephyr/shot.xwd | base64", 120s).output;
  const fs::path gz = dir.path() / "shot.xwd.gz";
  const fs::path xwd = dir.path() / "shot.xwd";
  write_file(gz, base64_decode(text));
  host_command("gzip -dc '" + gz.string() + "' >'" + xwd.string() + "'");
  return decode_xwd(read_file(xwd));
}

// --- qemu's screen ---------------------------------------------------------------------------

// qemu's screendump of the machine's display (the std VGA), as a person at the machine sees it.
Image screendump(const fs::path& monitor, const fs::path& file) {
  fs::remove(file);
  const std::string reply = monitor_command(monitor, "screendump " + file.string(), 60s);
  // The monitor may answer before the file is complete: read until it decodes.
  std::string error = "qemu wrote no " + file.string() + " (monitor said: " + reply + ")";
  for (int i = 0; i < 50; ++i) {
    if (fs::is_regular_file(file)) {
      try {
        return decode_ppm(read_file(file));
      } catch (const sdk::Error& e) {
        error = e.what();
      }
    }
    std::this_thread::sleep_for(200ms);
  }
  throw sdk::Error("screendump: " + error);
}

class Gui : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_regular_file(gui_iso())) {
      GTEST_SKIP() << "no GUI test build at " << gui_iso()
                   << " (run `make test-gui-iso`, or set BERTH_TEST_GUI_OUT)";
    }
  }
  TempDir dir_{"berth-gui-"};
};

TEST_F(Gui, XpraShowsAWrappedProgramInABrowserWithThePasswordOnly) {
  // The browser first: a host without chromium fails here, before a long boot.
  auto browser = std::make_unique<WebDriver>(log_beside(".chromedriver.log"));
  GuestOptions options = gui_guest();
  const std::uint16_t port = free_local_port();
  options.forwards.push_back({port, 14500});
  QemuGuest guest(options);
  boot_ready(guest);

  // No display yet: the program says how to get one.
  const CommandResult early = guest.run("xterm </dev/null", 180s);
  EXPECT_EQ(early.status, 1) << early.output;
  EXPECT_NE(early.output.find("start one with 'berth gui start'"), std::string::npos)
      << early.output;

  const auto started = Clock::now();
  const std::string out = start_display(guest, "xpra");
  const std::string password = password_in(out);
  ASSERT_FALSE(password.empty()) << "no password line in:\n" << out;
  guest.check(kStartXterm);

  // Poll what a person at the browser sees until the window is there. Like a person, open the
  // page again when it did not load (`berth gui start` returns once the X server is ready;
  // Xpra serves its HTML5 client a few seconds later) and once a minute after that.
  const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/index.html?password=";
  std::optional<double> first_frame_s;
  Frame frame;
  std::string open_error;
  auto next_open = Clock::now();
  for (const auto deadline = Clock::now() + 180s; Clock::now() < deadline;) {
    if (Clock::now() >= next_open) {
      try {
        browser->navigate(base + password);
        open_error.clear();
        next_open = Clock::now() + 60s;
      } catch (const sdk::Error& e) {
        open_error = e.what();
        next_open = Clock::now() + 2s;
      }
    }
    frame = take_frame(*browser);
    if (frame.magenta >= kXtermPixels) {
      first_frame_s = std::chrono::duration<double>(Clock::now() - started).count();
      break;
    }
    std::this_thread::sleep_for(2s);
  }
  write_file(log_beside(".browser.png"), frame.png);
  ASSERT_TRUE(first_frame_s) << "after 180 s the browser shows " << frame.magenta
                             << " magenta pixels (" << log_beside(".browser.png").string()
                             << "); last error opening the page: "
                             << (open_error.empty() ? "none" : open_error) << "\n/tmp/xterm.log:\n"
                             << guest
                                    .run(
                                        "cat /tmp/xterm.log; docker logs --tail 30 "
                                        "berth-gui-xpra 2>&1")
                                    .output;

  const std::string app = xterm_container(guest);
  expect_only_its_display(guest, app, 100);

  // Someone without the password sees nothing of the window, and the display says why.
  // Someone else: a browser of their own, with no page, cache or connection of the first
  // (under load, the first browser's later connections once sent nothing until Xpra's 20 s
  // timeout, every time, after its open session was cut). On a loaded host a page load can
  // also lose its race with Xpra 3.1's protocol sniffing (its log: "invalid packet format,
  // HTTP GET request", then the connection times out): as a person would, and as the right
  // password's loop above does, the page is loaded again.
  browser.reset();
  browser = std::make_unique<WebDriver>(log_beside(".chromedriver-wrong.log"));
  std::string wrong(password.size(), '0');
  if (wrong == password) wrong.assign(password.size(), '1');
  std::size_t most = 0;
  bool refused = false;
  const auto watched = Clock::now() + 20s;  // the window must stay hidden at least this long
  const auto give_up = Clock::now() + 180s;
  auto next_load = Clock::now();
  while (Clock::now() < give_up && (!refused || Clock::now() < watched)) {
    if (!refused && Clock::now() >= next_load) {
      try {
        browser->navigate(base + wrong);  // Xpra serves pages by now
        next_load = Clock::now() + 30s;   // past Xpra's 20 s wait for a first packet
      } catch (const sdk::Error&) {
        next_load = Clock::now() + 2s;
      }
    }
    frame = take_frame(*browser);
    most = std::max(most, frame.magenta);
    if (!refused) {
      refused =
          guest.run("docker logs berth-gui-xpra 2>&1 | grep -qi 'authentication failed'").ok();
    }
    std::this_thread::sleep_for(2s);
  }
  write_file(log_beside(".wrong-password.png"), frame.png);
  EXPECT_EQ(most, 0u) << "with a wrong password the browser showed magenta ("
                      << log_beside(".wrong-password.png").string() << ")";
  EXPECT_TRUE(refused) << guest.run("docker logs --tail 30 berth-gui-xpra 2>&1").output;

  // The numbers: how long a person waits for the first window, and what Xpra costs at idle
  // (no browser connected).
  browser.reset();
  std::this_thread::sleep_for(10s);
  std::string memory =
      guest.check("docker stats --no-stream --format '{{.MemUsage}}' berth-gui-xpra", 120s).output;
  memory = memory.substr(0, memory.find('\n'));
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.0f", *first_frame_s);
  RecordProperty("xpra_start_to_first_frame_s", seconds);
  RecordProperty("xpra_idle_memory", memory);
  std::printf("gui-numbers: xpra start to first frame %s s, xpra idle memory %s\n", seconds,
              memory.c_str());
}

TEST_F(Gui, XephyrGivesProgramsTheirOwnDisplay) {
  QemuGuest guest(gui_guest());
  boot_ready(guest);
  start_display(guest, "xpra");
  start_display(guest, "xephyr", " --size 320x240");
  guest.check(kStartXterm);
  const std::string app = xterm_container(guest);
  expect_only_its_display(guest, app, 101);

  Image screen;
  std::size_t magenta = 0;
  for (const auto deadline = Clock::now() + 180s; Clock::now() < deadline;) {
    screen = xephyr_screen(guest, dir_);
    magenta = count_near(screen, kMagenta, kMagentaTolerance);
    if (magenta >= kXtermPixels) break;
    std::this_thread::sleep_for(3s);
  }
  write_file(log_beside(".xephyr.png"), encode_png(screen));
  EXPECT_EQ(screen.width, 320);
  EXPECT_EQ(screen.height, 240);
  EXPECT_GE(magenta, kXtermPixels)
      << "Xephyr's screen (" << log_beside(".xephyr.png").string() << "); /tmp/xterm.log:\n"
      << guest.run("cat /tmp/xterm.log").output;

  // Without Xephyr, programs go to Xpra again.
  guest.check("berth gui stop xephyr", 120s);
  const std::string status = guest.check("berth gui status").output;
  EXPECT_NE(status.find("xpra: display :100 (running, current)"), std::string::npos) << status;
  EXPECT_EQ(status.find("xephyr"), std::string::npos) << status;
}

TEST_F(Gui, ConsoleDrawsOnTheMachinesScreen) {
  GuestOptions options = gui_guest();
  options.monitor_socket = dir_.path() / "monitor.sock";
  QemuGuest guest(options);
  boot_ready(guest);

  const Image before = screendump(options.monitor_socket, dir_.path() / "before.ppm");
  write_file(log_beside(".before.png"), encode_png(before));
  EXPECT_EQ(count_near(before, kConsoleColour, kConsoleTolerance), 0u)
      << "the text console already shows the X background (" << log_beside(".before.png").string()
      << ")";

  start_display(guest, "console");
  Image after;
  std::size_t background = 0;
  for (const auto deadline = Clock::now() + 60s; Clock::now() < deadline;) {
    after = screendump(options.monitor_socket, dir_.path() / "after.ppm");
    background = count_near(after, kConsoleColour, kConsoleTolerance);
    if (background * 2 > after.pixels()) break;
    std::this_thread::sleep_for(2s);
  }
  write_file(log_beside(".after.png"), encode_png(after));
  EXPECT_GT(background * 2, after.pixels())
      << background << " of " << after.pixels() << " pixels are #2e4a62 ("
      << log_beside(".after.png").string() << "); Xorg's log:\n"
      << guest.run("docker exec berth-gui-console tail -n 30 /var/log/Xorg.log 2>&1").output;
}

}  // namespace
}  // namespace berth::vm
