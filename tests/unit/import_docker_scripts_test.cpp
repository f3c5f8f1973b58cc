// import-docker's on-target shell: recognising archives by their bytes, the import records
// (skip unchanged, import again when the image is gone or the bytes changed), one clear line
// per broken archive, wrapper names that never shadow a system or hand-written command, and
// the `docker run` a wrapper makes of the image's labels. Docker is a fake on PATH that keeps
// its images as files; the scripts run under busybox sh and dash.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "shell_runner.hpp"
#include "test_support.hpp"

namespace berth::import_docker {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kLib =
    fs::path(BERTH_SOURCE_DIR) / "plugins/import-docker/files/rootfs/usr/lib/berth";

// docker load -i F: loads the references listed in $FAKE/loads/<name of F> (one a line;
// no such file: "unexpected EOF"). docker image inspect: an image is $FAKE/images/<ref with
// / as _>, holding its id; the labels template gets "ID<TAB>" + $FAKE/labels/<same>.
// docker run: prints its arguments, one a line.
constexpr const char* kFakeDocker = R"SH(#!/bin/sh
set -u
key() { echo "$1" | tr '/' '_'; }
case $1 in
  info) exit 0 ;;
  load)
    shift
    while [ $# -gt 0 ]; do [ "$1" = -i ] && file=$2; shift; done
    if [ -n "${FAKE_DOWN_ONCE:-}" ] && [ ! -e "$FAKE/was-down" ]; then
      : >"$FAKE/was-down"
      echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2
      exit 1
    fi
    list=$FAKE/loads/${file##*/}
    if [ ! -f "$list" ]; then echo "Error: unexpected EOF" >&2; exit 1; fi
    mkdir -p "$FAKE/images"
    while read -r ref; do
      echo "sha256:$(echo "$ref" | sha256sum | cut -c1-12)" >"$FAKE/images/$(key "$ref")"
      echo "Loaded image: $ref"
    done <"$list"
    echo load >>"$FAKE/calls"
    ;;
  image)
    shift 2
    format=
    if [ "$1" = --format ]; then format=$2; shift 2; fi
    status=0
    for ref in "$@"; do
      found=
      for f in "$FAKE"/images/*; do
        [ -f "$f" ] || continue
        if [ "${f##*/}" = "$(key "$ref")" ] || [ "$(cat "$f")" = "$ref" ]; then found=$f; fi
      done
      if [ -z "$found" ]; then echo "Error: No such image: $ref" >&2; status=1; continue; fi
      case $format in
        '') echo "{}" ;;
        '{{.Id}}') cat "$found" ;;
        *) printf '%s\t%s\n' "$(cat "$found")" "$(cat "$FAKE/labels/${found##*/}" 2>/dev/null || printf '\t\t\t\t\t\t\t\t\t\t')" ;;
      esac
    done
    exit $status
    ;;
  run) shift; for a in "$@"; do echo "$a"; done ;;
esac
)SH";

class ImportScripts : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "fake");
    fs::create_directories(dir_.path() / "bin");
    const fs::path docker = dir_.write("bin/docker", kFakeDocker);
    fs::permissions(docker, fs::perms(0755));
  }

  // Runs `script` with import.sh sourced and the state under the temp dir.
  ScriptOutcome sh(const std::string& script) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.insert(argv.end(), {"-c", ". '" + (kLib / "import.sh").string() + "'\n" + script});
    const std::string root = dir_.path().string();
    return test::run_script(
        argv, {"PATH=" + root + "/bin:/usr/bin:/bin", "FAKE=" + root + "/fake",
               "IMPORT_STATE=" + root + "/state", "WRAPPER_DIR=" + root + "/wrappers",
               "MEDIA_BIN_DIR=" + root + "/media-bin", "USER_BIN_DIR=" + root + "/user-bin",
               "GUI_CURRENT=" + root + "/gui/current.env"});
  }

  fs::path archive(const std::string& name, const std::string& bytes,
                   const std::vector<std::string>& refs = {}) {
    const fs::path file = dir_.write("images/" + name, bytes);
    if (!refs.empty()) {
      std::string list;
      for (const auto& ref : refs) list += ref + "\n";
      dir_.write("fake/loads/" + name, list);
    }
    return file;
  }

  TempDir dir_;
};

// 257 bytes of padding, then the ustar magic: what a tar header looks like to import_kind.
std::string tar_bytes() {
  return std::string(257, '\0') + "ustar" + std::string(250, '\0');
}

TEST_P(ImportScripts, KnowsArchivesByTheirBytesNotTheirNames) {
  archive("a.tar", tar_bytes());
  archive("b.tar.gz", "\x1f\x8b\x08rest");
  archive("c.gz", std::string("\x28\xb5\x2f\xfd") + "zstd");
  archive("d.xz", std::string("\xfd\x37\x7a\x58\x5a\x00", 6) + "xz");
  archive("e.bz2", "BZh91AY");
  archive("notes.tar", "just some text\n");
  const auto r =
      sh("for f in \"$FAKE\"/../images/*; do echo \"${f##*/} $(import_kind \"$f\")\"; done");
  EXPECT_EQ(r.out, "a.tar tar\nb.tar.gz gzip\nc.gz zstd\nd.xz xz\ne.bz2 bzip2\nnotes.tar \n")
      << r.err;
}

TEST_P(ImportScripts, CandidatesAreSortedAndSkipNotes) {
  for (const char* name : {"b.tar", "a.tar.gz", "README.md", ".hidden.tar", "SHA256SUMS.sha256",
                           "c.tar.zst", "list.txt"}) {
    archive(name, "x");
  }
  const auto r = sh("import_candidates \"$FAKE/../images\" | sed 's|.*/||'");
  EXPECT_EQ(r.out, "a.tar.gz\nb.tar\nc.tar.zst\n") << r.err;
}

TEST_P(ImportScripts, ImportsOnceAndAgainWhenTheImageIsGoneOrTheBytesChange) {
  const fs::path file = archive("hello.tar", tar_bytes(), {"example/hello:latest"});
  const std::string import = "import_archive \"$FAKE/../images/hello.tar\" usb; echo status=$?";
  const auto first = sh(import);
  EXPECT_NE(first.out.find("hello.tar (512 B, tar) from usb ..."), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("hello.tar: done (example/hello:latest)"), std::string::npos);
  EXPECT_NE(first.out.find("status=0"), std::string::npos);

  const auto again = sh(import);
  EXPECT_NE(again.out.find("hello.tar: unchanged, skipped"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("status=2"), std::string::npos);

  // The image was deleted from Docker: imported again.
  fs::remove(dir_.path() / "fake/images/example_hello:latest");
  const auto gone = sh(import);
  EXPECT_NE(gone.out.find("hello.tar: done"), std::string::npos) << gone.out;

  // New bytes (and so a new size): imported again.
  std::ofstream(file, std::ios::app) << std::string(512, '\0');
  const auto changed = sh(import);
  EXPECT_NE(changed.out.find("hello.tar: done"), std::string::npos) << changed.out;

  const auto records = sh("cut -f 1,3,4 \"$IMPORT_STATE/images\"");
  EXPECT_EQ(records.out, "example/hello:latest\thello.tar\tusb\n");
}

TEST_P(ImportScripts, ADockerRestartDuringTheImportIsRetriedOnce) {
  archive("one.tar", tar_bytes(), {"example/one:latest"});
  const auto r = sh("FAKE_DOWN_ONCE=1 import_archive \"$FAKE/../images/one.tar\" usb");
  EXPECT_NE(r.out.find("one.tar: Docker restarted during the import; trying again"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("one.tar: done (example/one:latest)"), std::string::npos) << r.out;
}

TEST_P(ImportScripts, ACopyWithTheSameBytesIsSkippedByItsHash) {
  archive("one.tar", tar_bytes(), {"example/one:latest"});
  archive("copy-of-one.tar", tar_bytes(), {"example/one:latest"});
  sh("import_archive \"$FAKE/../images/one.tar\" usb");
  const auto r = sh("import_archive \"$FAKE/../images/copy-of-one.tar\" usb");
  EXPECT_NE(r.out.find("copy-of-one.tar: same content as an archive imported before, skipped"),
            std::string::npos)
      << r.out;
}

TEST_P(ImportScripts, BrokenArchivesGetOneLineEachAndTheRestGoesOn) {
  archive("a-truncated.tar", tar_bytes());  // the fake says "unexpected EOF": no loads/ entry
  archive("b-notes.tar", "some text\n");
  archive("c-renamed.tar.gz", std::string("\x28\xb5\x2f\xfd") + "zstd", {"example/renamed:latest"});
  archive("d-good.tar", tar_bytes() + "good", {"example/good:latest"});
  const auto r =
      sh("_i_done=0 _i_failed=0 _i_skipped=0; import_dir \"$FAKE/../images\" usb; "
         "echo \"done=$_i_done failed=$_i_failed skipped=$_i_skipped\"");
  EXPECT_NE(
      r.out.find("a-truncated.tar: failed: truncated or damaged archive (Error: unexpected EOF)"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(
                "b-notes.tar: failed: not an image archive (no tar, gzip, xz, zstd or bzip2 data)"),
            std::string::npos);
  EXPECT_NE(
      r.out.find("c-renamed.tar.gz: named like gzip but holds zstd data; importing it as zstd"),
      std::string::npos);
  EXPECT_NE(r.out.find("c-renamed.tar.gz: done (example/renamed:latest)"), std::string::npos);
  EXPECT_NE(r.out.find("d-good.tar: done (example/good:latest)"), std::string::npos);
  EXPECT_NE(r.out.find("done=2 failed=2 skipped=0"), std::string::npos);
}

TEST_P(ImportScripts, WrapperNamesNeverShadowCommands) {
  fs::create_directories(dir_.path() / "user-bin");
  dir_.write("user-bin/mytool", "#!/bin/sh\n");
  const auto r =
      sh("import_wrapper_name example/htop:latest '' ' '; "
         "import_wrapper_name example/cat:latest '' ' '; "
         "import_wrapper_name example/mytool:v2 '' ' '; "
         "import_wrapper_name other/htop:latest '' ' htop '; "
         "import_wrapper_name example/x:latest greet ' '; "
         "import_wrapper_name 'example/bad name:1' '' ' ' || echo refused");
  EXPECT_EQ(r.out, "htop\ncat-docker\nmytool-docker\nother-htop\ngreet\nrefused\n") << r.err;
}

TEST_P(ImportScripts, JsonListsOfLabelsAreRead) {
  const auto r =
      sh(R"(import_json_list '["A=1", "B=two words","C=\"q\""]'; import_json_list '[]')");
  EXPECT_EQ(r.out, "A=1\nB=two words\nC=\"q\"\n");
}

// The argument list `docker run` gets from a wrapper, one a line.
TEST_P(ImportScripts, WrappersRunTheImageWithWhatTheLabelsAsk) {
  fs::create_directories(dir_.path() / "fake/images");
  dir_.write("fake/images/example_labelled:latest", "sha256:abc\n");
  // Fields after the id: name env volumes ports networks working_dir keep_user missing gui
  // devices privileged.
  dir_.write("fake/labels/example_labelled:latest",
             "greet\t[\"GREETING=hi there\", \"TERM\"]\t[\"/srv/data:/data\", \"/nope:/x\"]\t"
             "[\"8089:80\"]\t[\"host\"]\t/work\t\tskip\t\t[\"/dev/null\"]\t");
  fs::create_directories(dir_.path() / "state");
  dir_.write("state/images", "example/labelled:latest\tsha256:abc\tl.tar\tusb\tnow\n");
  const fs::path cwd = dir_.path() / "project";
  fs::create_directories(cwd);
  const auto r = sh("mkdir -p /tmp && import_sync_wrappers && ls \"$WRAPPER_DIR\" && cd '" +
                    cwd.string() + "' && \"$WRAPPER_DIR/greet\" 'arg one' \"it's\"");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const std::string expected_head =
      "greet\n--rm\n--init\n-v\n" + cwd.string() + ":/work\n-w\n/work\n-i\n";
  EXPECT_EQ(r.out.substr(0, expected_head.size()), expected_head) << r.out;
  for (const std::string part :
       {"-e\nGREETING=hi there\n-e\nTERM\n", "-p\n8089:80\n", "--network\nhost\n",
        "--device\n/dev/null\n", "-u\n", "example/labelled:latest\narg one\nit's\n"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n---\n" << r.out;
  }
  // /srv/data is missing and missing_volumes=skip: no -v for it; /nope neither.
  EXPECT_EQ(r.out.find("/data\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--privileged"), std::string::npos);
}

TEST_P(ImportScripts, AMissingVolumeStopsTheWrapperByDefault) {
  fs::create_directories(dir_.path() / "fake/images");
  dir_.write("fake/images/example_v:latest", "sha256:v\n");
  dir_.write("fake/labels/example_v:latest", "\t\t[\"/berth-no-such-dir:/data\"]\t\t\t\t\t\t\t\t");
  fs::create_directories(dir_.path() / "state");
  dir_.write("state/images", "example/v:latest\tsha256:v\tv.tar\tusb\tnow\n");
  const auto r = sh("import_sync_wrappers && \"$WRAPPER_DIR/v\"");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "v: /berth-no-such-dir (a volume of example/v:latest) does not exist\n");
}

TEST_P(ImportScripts, ARemovedImageLosesItsWrapper) {
  fs::create_directories(dir_.path() / "fake/images");
  dir_.write("fake/images/example_a:latest", "sha256:a\n");
  dir_.write("fake/images/example_b:latest", "sha256:b\n");
  fs::create_directories(dir_.path() / "state");
  dir_.write(
      "state/images",
      "example/a:latest\tsha256:a\ta.tar\tusb\tnow\nexample/b:latest\tsha256:b\tb.tar\tusb\tnow\n");
  EXPECT_EQ(sh("import_sync_wrappers && ls \"$WRAPPER_DIR\"").out, "a\nb\n");
  fs::remove(dir_.path() / "fake/images/example_b:latest");
  EXPECT_EQ(sh("import_sync_wrappers && ls \"$WRAPPER_DIR\"").out, "a\n");
}

// A display as gui-xpra's `berth gui start` leaves it: a listening socket, a cookie and
// current.env naming them.
class GuiDisplay {
 public:
  explicit GuiDisplay(const fs::path& root) : dir_(root / "gui/xpra") {
    fs::create_directories(dir_ / "X11-unix");
    socket_ = dir_ / "X11-unix/X100";
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_.c_str(), sizeof address.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 1) != 0) {
      throw std::runtime_error("cannot listen on " + socket_.string());
    }
    std::ofstream(dir_ / "cookie") << "cookie bytes";
    std::ofstream(root / "gui/current.env") << "mode=xpra\ndisplay=100\nsocket=" << socket_.string()
                                            << "\ncookie=" << (dir_ / "cookie").string() << "\n";
  }
  ~GuiDisplay() {
    if (fd_ >= 0) ::close(fd_);
  }
  GuiDisplay(const GuiDisplay&) = delete;
  GuiDisplay& operator=(const GuiDisplay&) = delete;

  std::string socket() const { return socket_.string(); }
  std::string cookie() const { return (dir_ / "cookie").string(); }

 private:
  fs::path dir_;
  fs::path socket_;
  int fd_ = -1;
};

// Writes one imported image whose labels say io.berth.gui=GUI (field 10 after the id).
void gui_image(TempDir& dir, const std::string& name, const std::string& gui) {
  fs::create_directories(dir.path() / "fake/images");
  fs::create_directories(dir.path() / "state");
  dir.write("fake/images/example_" + name + ":latest", "sha256:" + name + "\n");
  dir.write("fake/labels/example_" + name + ":latest", std::string(8, '\t') + gui + "\t\t\t\t\t");
  dir.write("state/images", "example/" + name + ":latest\tsha256:" + name + "\tx.tar\tiso\tnow\n");
}

TEST_P(ImportScripts, AGuiImageGetsTheCurrentDisplaysSocketAndCookieOnly) {
  gui_image(dir_, "viewer", "true");
  const GuiDisplay display(dir_.path());
  const auto r = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/viewer\" file.txt");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  for (const std::string& part : std::vector<std::string>{
           "-e\nDISPLAY=:100\n", "-v\n" + display.socket() + ":/tmp/.X11-unix/X100:ro\n",
           "-e\nXAUTHORITY=/tmp/.berth-xauthority\n",
           "-v\n" + display.cookie() + ":/tmp/.berth-xauthority:ro\n",
           "example/viewer:latest\nfile.txt\n"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n---\n" << r.out;
  }
  // Never the whole socket directory, the host's network or more privileges.
  EXPECT_EQ(r.out.find("X11-unix:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("host"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--privileged"), std::string::npos) << r.out;
}

TEST_P(ImportScripts, AGuiImageWithoutADisplaySaysHowToStartOne) {
  gui_image(dir_, "viewer", "true");
  const auto r = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/viewer\"");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "viewer: example/viewer:latest shows windows and no display is running; start one "
            "with 'berth gui start' (xpra, xephyr or console)\n");
  EXPECT_EQ(r.out, "");
}

TEST_P(ImportScripts, GuiSwitchGivesAnyWrapperTheDisplayAndIsNotPassedOn) {
  gui_image(dir_, "plain", "");
  const GuiDisplay display(dir_.path());
  const auto without = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/plain\" a");
  EXPECT_EQ(without.out.find("DISPLAY="), std::string::npos) << without.out;
  const auto with = sh("\"$WRAPPER_DIR/plain\" --gui a --gui");
  ASSERT_EQ(with.status, 0) << with.err;
  EXPECT_NE(with.out.find("-e\nDISPLAY=:100\n"), std::string::npos) << with.out;
  // Only a first --gui is the wrapper's; later ones belong to the program.
  EXPECT_NE(with.out.find("example/plain:latest\na\n--gui\n"), std::string::npos) << with.out;
}

INSTANTIATE_TEST_SUITE_P(Shells, ImportScripts, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::import_docker
