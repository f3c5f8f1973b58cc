// import-docker's on-target shell: recognising archives by their bytes, the import records
// (skip unchanged, import again when the image is gone or the bytes changed), one clear line
// per broken or crafted archive (tests/fixtures/crafted_archives.hpp) and a time limit on
// each, trust by source, command names that never shadow a system or hand-written command
// and stay with the image that had them first, and the `docker run` run-image makes of the
// image's labels (through the real jq) within what its source's trust allows. Docker is a
// fake on PATH that keeps its images as files; tar and jq are the host's; the scripts run
// under busybox sh and dash.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

#include "archive_builder.hpp"
#include "compression.hpp"
#include "crafted_archives.hpp"
#include "fixture_images.hpp"
#include "image_archive.hpp"
#include "script_root_test.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::import_docker {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kLib =
    fs::path(BERTH_SOURCE_DIR) / "plugins/import-docker/files/rootfs/usr/lib/berth";

// docker load -i F: loads the references listed in $FAKE/loads/<name of F> (one a line;
// no such file: "unexpected EOF"; F named slow*: never ends); each image's id depends on the
// archive and the reference. docker load (stdin): the RepoTags of the manifest.json in the
// tar on stdin. docker images: "REF<TAB>ID" a line. docker image inspect: an image is
// $FAKE/images/<ref with / as _>, holding its id; {{json .Config.Labels}} prints
// $FAKE/labels/<same> (JSON), or null. docker tag ID REF: REF names ID. docker run: prints its
// arguments, one a line.
constexpr const char* kFakeDocker = R"SH(#!/bin/sh
set -u
key() { echo "$1" | tr '/' '_'; }
# made NAME ID: an image NAME now, with id ID; the image NAME had stays, untagged.
made() {
  mkdir -p "$FAKE/images"
  old=$FAKE/images/$(key "$1")
  [ ! -f "$old" ] || [ "$(cat "$old")" = "$2" ] || mv "$old" "$FAKE/images/untagged-$(cut -c8-19 "$old")"
  echo "$2" >"$old"
}
case $1 in
  info)
    if [ "${2:-}" = --format ]; then echo "$FAKE/root"; fi
    exit 0
    ;;
  load)
    shift
    file=
    while [ $# -gt 0 ]; do [ "$1" = -i ] && file=$2; shift; done
    if [ -z "$file" ]; then
      tar -xOf - ./manifest.json >"$FAKE/stdin-manifest.json"
      for ref in $(jq -r '.[].RepoTags[]' "$FAKE/stdin-manifest.json"); do
        made "$ref" "sha256:$(echo "stdin $ref" | sha256sum | cut -c1-64)"
        echo "Loaded image: $ref"
      done
      exit 0
    fi
    case ${file##*/} in
      slow*) echo $$ >"$FAKE/slow.pid"; exec sleep 600 ;;
    esac
    if [ -n "${FAKE_DOWN_ONCE:-}" ] && [ ! -e "$FAKE/was-down" ]; then
      : >"$FAKE/was-down"
      echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2
      exit 1
    fi
    list=$FAKE/loads/${file##*/}
    if [ ! -f "$list" ]; then echo "Error: unexpected EOF" >&2; exit 1; fi
    while read -r ref; do
      made "$ref" "sha256:$(echo "${file##*/} $ref" | sha256sum | cut -c1-64)"
      echo "Loaded image: $ref"
    done <"$list"
    echo load >>"$FAKE/calls"
    ;;
  tag) made "$3" "$2" ;;
  images)
    for f in "$FAKE"/images/*; do
      case ${f##*/} in untagged-* | \*) continue ;; esac
      printf '%s\t%s\n' "$(echo "${f##*/}" | tr '_' '/')" "$(cat "$f")"
    done
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
        '{{json .Config.Labels}}') cat "$FAKE/labels/${found##*/}" 2>/dev/null || echo null ;;
        *) echo "unexpected format $format" >&2; exit 2 ;;
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
    fs::create_directories(dir_.path() / "fake/root/tmp");
    fs::create_directories(dir_.path() / "bin");
    const fs::path docker = dir_.write("bin/docker", kFakeDocker);
    fs::permissions(docker, fs::perms(0755));
    // /usr/lib/berth as the image has it: import-docker's files and the base's lib.sh.
    const fs::path lib = dir_.path() / "usr/lib/berth";
    fs::create_directories(lib);
    for (const auto& entry : fs::directory_iterator(kLib)) {
      fs::create_symlink(entry.path(), lib / entry.path().filename());
    }
    fs::create_symlink(test::lib_sh(), lib / "lib.sh");
  }

  std::vector<std::string> env() const {
    const std::string root = dir_.path().string();
    return {"PATH=" + root + "/bin:/usr/bin:/bin", "FAKE=" + root + "/fake",
            "BERTH_TEST_ROOT=" + root, "HOME=" + root + "/home"};
  }

  // Runs `script` with import.sh sourced and the state under the temp dir.
  ScriptOutcome sh(const std::string& script, std::vector<std::string> extra_env = {}) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.insert(argv.end(), {"-c", ". '" + (kLib / "import.sh").string() + "'\n" + script});
    std::vector<std::string> environment = env();
    environment.insert(environment.end(), extra_env.begin(), extra_env.end());
    return test::run_script(argv, environment);
  }

  fs::path archive(const std::string& name, const std::string& bytes,
                   const std::vector<std::string>& refs = {}) {
    const fs::path file = dir_.path() / "images" / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    if (!refs.empty()) {
      std::string list;
      for (const auto& ref : refs) list += ref + "\n";
      dir_.write("fake/loads/" + name, list);
    }
    return file;
  }

  // An image already imported: REF with ID and LABELS (JSON), recorded with TRUST.
  void imported(const std::string& ref, const std::string& labels,
                const std::string& trust = "trusted", const std::string& from = "the boot medium") {
    std::string key = ref;
    std::replace(key.begin(), key.end(), '/', '_');
    const std::string id =
        "sha256:" + std::string(64 - key.size() % 10, 'a') + std::string(key.size() % 10, 'b');
    dir_.write("fake/images/" + key, id + "\n");
    if (!labels.empty()) dir_.write("fake/labels/" + key, labels + "\n");
    fs::create_directories(dir_.path() / "var/lib/berth/import");
    std::ofstream(dir_.path() / "var/lib/berth/import/images", std::ios::app)
        << ref << '\t' << id << "\tx.tar\t" << from << "\tnow\t" << trust << '\n';
  }

  TempDir dir_;
};

// A small real tar (a manifest.json and a layer file) whose size `extra` changes: what
// import_kind and the member check see of a `docker save` archive.
std::string tar_bytes(const std::string& extra = "") {
  fixtures::ArchiveBuilder tar(fixtures::ArchiveBuilder::Format::Tar, 0);
  tar.add_file("manifest.json", "[]");
  tar.add_file("layer.tar", "layer" + extra);
  return tar.finish();
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
  fs::create_symlink("/etc/passwd", dir_.path() / "images/d-link.tar");
  const auto r = sh("import_candidates \"$FAKE/../images\" | sed 's|.*/||'");
  EXPECT_EQ(r.out, "a.tar.gz\nb.tar\nc.tar.zst\n") << r.err;
}

TEST_P(ImportScripts, ImportsOnceAndAgainWhenTheImageIsGoneOrTheBytesChange) {
  const std::string bytes = tar_bytes();
  const fs::path file = archive("hello.tar", bytes, {"example/hello:latest"});
  const std::string import =
      "import_archive \"$FAKE/../images/hello.tar\" usb trusted; echo status=$?";
  const auto first = sh(import);
  EXPECT_NE(first.out.find("hello.tar (" + std::to_string(bytes.size() / 1024) +
                           ".0 KiB, tar) from usb ..."),
            std::string::npos)
      << first.out;
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
  std::ofstream(file, std::ios::binary | std::ios::trunc) << tar_bytes(std::string(20000, 'x'));
  const auto changed = sh(import);
  EXPECT_NE(changed.out.find("hello.tar: done"), std::string::npos) << changed.out;

  const auto records = sh("cut -f 1,3,4,6 \"$IMPORT_STATE/images\"");
  EXPECT_EQ(records.out, "example/hello:latest\thello.tar\tusb\ttrusted\n");
}

// An untrusted archive with the name, size and time of one a trusted source has later
// (all an attacker needs to know of a public ISO) is no reason to trust its images: only
// the same bytes are.
TEST_P(ImportScripts, TrustComesWithTheSameBytesNotTheSameName) {
  const std::string good = tar_bytes("good");
  std::string evil = tar_bytes("evil");
  ASSERT_EQ(good.size(), evil.size());
  archive("app.tar", evil, {"example/app:latest"});
  const std::string import = "import_archive \"$FAKE/../images/app.tar\" ";
  ASSERT_EQ(sh("touch -d @1000000 \"$FAKE/../images/app.tar\" && " + import + "/dev/sdb1 untrusted")
                .status,
            0);
  archive("app.tar", good, {"example/app:latest"});
  const auto r = sh("touch -d @1000000 \"$FAKE/../images/app.tar\" && " + import +
                    "'the boot medium' trusted && cut -f 4,6 \"$IMPORT_STATE/images\"");
  EXPECT_NE(r.out.find("app.tar: done (example/app:latest)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the boot medium\ttrusted\n"), std::string::npos) << r.out;
  // The same bytes again from a trusted source: skipped, and trusted.
  const auto again = sh(import + "'the boot medium' trusted");
  EXPECT_NE(again.out.find("app.tar: unchanged, skipped"), std::string::npos) << again.out;
}

TEST_P(ImportScripts, ADockerRestartDuringTheImportIsRetriedOnce) {
  archive("one.tar", tar_bytes(), {"example/one:latest"});
  const auto r = sh("FAKE_DOWN_ONCE=1 import_archive \"$FAKE/../images/one.tar\" usb trusted");
  EXPECT_NE(r.out.find("one.tar: Docker restarted during the import; trying again"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("one.tar: done (example/one:latest)"), std::string::npos) << r.out;
}

TEST_P(ImportScripts, ACopyWithTheSameBytesIsSkippedByItsHash) {
  archive("one.tar", tar_bytes(), {"example/one:latest"});
  archive("copy-of-one.tar", tar_bytes(), {"example/one:latest"});
  sh("import_archive \"$FAKE/../images/one.tar\" usb untrusted");
  const auto r = sh("import_archive \"$FAKE/../images/copy-of-one.tar\" usb trusted");
  EXPECT_NE(r.out.find("copy-of-one.tar: same content as an archive imported before, skipped"),
            std::string::npos)
      << r.out;
  // Found again on a trusted source: its images are trusted now.
  EXPECT_EQ(sh("cut -f 1,6 \"$IMPORT_STATE/images\"").out, "example/one:latest\ttrusted\n");
}

TEST_P(ImportScripts, BrokenArchivesGetOneLineEachAndTheRestGoesOn) {
  archive("a-truncated.tar", tar_bytes());  // the fake says "unexpected EOF": no loads/ entry
  archive("b-notes.tar", "some text\n");
  archive("c-renamed.tar.gz", fixtures::compress(tar_bytes(), fixtures::Compression::Zstd),
          {"example/renamed:latest"});
  archive("d-good.tar", tar_bytes("good"), {"example/good:latest"});
  const std::string whole = tar_bytes(std::string(4000, 'y'));
  archive("e-cut.tar", whole.substr(0, 1536));
  const auto r =
      sh("_i_done=0 _i_failed=0 _i_skipped=0; import_dir \"$FAKE/../images\" usb trusted; "
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
  EXPECT_NE(r.out.find("e-cut.tar: failed: truncated or damaged archive (tar: "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("done=2 failed=3 skipped=0"), std::string::npos);
  // Each good archive's command came as soon as it was in.
  EXPECT_EQ(sh("ls \"$WRAPPER_DIR\"").out, "good\nrenamed\n");
}

// The archives of tests/fixtures/crafted_archives.hpp, from an untrusted stick, after the
// boot medium's example/hello: each bad one is refused in one line, the rest still import,
// and the images that do load get no name, privilege or line of shell from their labels.
TEST_P(ImportScripts, CraftedArchivesFromAnUntrustedStickGetNothing) {
  archive("hello.tar", tar_bytes("boot"), {"example/hello:latest"});
  ASSERT_EQ(sh("import_archive \"$FAKE/../images/hello.tar\" 'the boot medium' trusted && "
               "import_sync_wrappers && rm \"$FAKE/../images/hello.tar\"")
                .status,
            0);
  for (const auto& crafted : fixtures::crafted_archives("#!fake busybox", 0)) {
    archive(crafted.name, crafted.bytes, crafted.images);
  }
  // The stick's labels, as Docker reports them once the images are in.
  dir_.write("fake/labels/aaa_hello:latest",
             R"({"io.whalebrew.name":"hello","io.berth.privileged":"true",
                 "io.berth.devices":"[\"/dev/mem\"]","io.whalebrew.config.volumes":"[\"/:/host\"]",
                 "io.whalebrew.config.networks":"[\"host\"]",
                 "io.whalebrew.config.ports":"[\"8090:80\"]","io.berth.gui":"true"})");
  const auto r =
      sh("_i_done=0 _i_failed=0 _i_skipped=0; import_dir \"$FAKE/../images\" "
         "'/dev/sdb1 \"STICK\"' untrusted; echo \"done=$_i_done failed=$_i_failed\"");
  for (const std::string line : {
           "fifo-index.tar: failed: it holds a FIFO (index.json); only regular files, "
           "directories and links between members are read\n",
           "shadow-link.tar: failed: it holds a symbolic link in place of an index file "
           "(manifest.json -> /etc/shadow); only regular files, directories and links between "
           "members are read\n",
           "device.tar: failed: it holds a device (mem); only regular files, directories and "
           "links between members are read\n",
           "self-index.tar: failed: bad OCI layout: its index lists itself (a loop)\n",
           "deep-index.tar: failed: bad OCI layout: its indexes are nested more than 4 deep\n",
           "bad-digest.tar: failed: bad OCI layout: a descriptor's digest is not sha256: and 64 "
           "hex digits\n",
           "control-label.tar: done (example/sneaky:latest)\n",
           "takeover.tar: example/hello:latest is the name of an image from a trusted source; it "
           "stays with that one",
           "takeover.tar: done (aaa/hello:latest)\n",
           "good.tar: done (example/stickgood:latest)\n",
           "aaa/hello:latest: 'hello' is taken, so its command is 'aaa-hello'\n",
           "aaa/hello:latest is from an untrusted source (/dev/sdb1 \"STICK\"): 'aaa-hello' runs "
           "without what its labels ask (--privileged, device /dev/mem, volume /:/host, port "
           "8090:80, network host, the display); allow it with 'berth trust STICK' (or 'berth "
           "trust /dev/sdb1'), then 'berth import'\n",
       }) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n---\n" << r.out;
  }
  EXPECT_NE(r.out.find("done=3 failed=6"), std::string::npos) << r.out;
  EXPECT_EQ(sh("ls \"$WRAPPER_DIR\"").out, "aaa-hello\nhello\nsneaky\nstickgood\n");
  // `hello` still runs the boot medium's image, trusted.
  EXPECT_EQ(sh("cut -f 1,4,6 \"$IMPORT_STATE/images\" | sort").out,
            "aaa/hello:latest\t/dev/sdb1 \"STICK\"\tuntrusted\n"
            "example/hello:latest\tthe boot medium\ttrusted\n"
            "example/sneaky:latest\t/dev/sdb1 \"STICK\"\tuntrusted\n"
            "example/stickgood:latest\t/dev/sdb1 \"STICK\"\tuntrusted\n");

  fs::create_directories(dir_.path() / "work");
  const auto run = sh("cd \"$FAKE/../work\" && \"$WRAPPER_DIR/aaa-hello\" id");
  ASSERT_EQ(run.status, 0) << run.err;
  for (const std::string given :
       {"--privileged", "/dev/mem", "/:/host", "--network", "8090", "DISPLAY", "-p\n"}) {
    EXPECT_EQ(run.out.find(given), std::string::npos) << given << "\n---\n" << run.out;
  }
  EXPECT_NE(run.out.find("-u\n65534:65534\n--security-opt\nno-new-privileges\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.err.find("aaa-hello: aaa/hello:latest comes from an untrusted source (/dev/sdb1 "
                         "\"STICK\"): not given --privileged"),
            std::string::npos)
      << run.err;

  // Labels with newlines and shell code are refused, not split or run.
  dir_.write("fake/labels/example_sneaky:latest",
             R"({"io.whalebrew.config.working_dir":"/work\ntouch /tmp/x",
                 "io.whalebrew.config.environment":"[\"A=1\\n$(touch /tmp/y)\", \"B=2\"]"})");
  const auto sneaky = sh("cd \"$FAKE/../work\" && \"$WRAPPER_DIR/sneaky\"");
  ASSERT_EQ(sneaky.status, 0) << sneaky.err;
  EXPECT_EQ(sneaky.out.find("touch"), std::string::npos) << sneaky.out;
  EXPECT_EQ(sneaky.out.find("B=2"), std::string::npos) << sneaky.out;
  EXPECT_NE(sneaky.out.find(dir_.path().string() + "/work:" + dir_.path().string() + "/work\n"),
            std::string::npos)
      << sneaky.out;
  EXPECT_NE(sneaky.err.find("sneaky: example/sneaky:latest: label io.whalebrew.config.working_dir "
                            "is not usable"),
            std::string::npos)
      << sneaky.err;
  EXPECT_NE(sneaky.err.find("label io.whalebrew.config.environment is not usable"),
            std::string::npos);
}

// Engine 24 and older `docker save` link a layer written before; a link out of the
// archive, even below its top, is refused.
TEST_P(ImportScripts, LinksBetweenMembersPassLinksOutOfTheArchiveDoNot) {
  const auto with_link = [](const std::string& name, const std::string& target) {
    fixtures::ArchiveBuilder tar(fixtures::ArchiveBuilder::Format::Tar, 0);
    tar.add_file("manifest.json", "[]");
    tar.add_directory("a");
    tar.add_file("a/layer.tar", "layer");
    tar.add_directory("b");
    tar.add_symlink(name, target);
    return tar.finish();
  };
  archive("a-legacy.tar", with_link("b/layer.tar", "../a/layer.tar"), {"example/legacy:latest"});
  archive("b-escape.tar", with_link("b/layer.tar", "../../etc/shadow"));
  archive("c-absolute.tar", with_link("b/layer.tar", "/etc/shadow"));
  const auto r = sh("import_dir \"$FAKE/../images\" usb trusted");
  EXPECT_NE(r.out.find("a-legacy.tar: done (example/legacy:latest)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b-escape.tar: failed: it holds a symbolic link out of the archive "
                       "(b/layer.tar -> ../../etc/shadow)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("c-absolute.tar: failed: it holds a symbolic link out of the archive"),
            std::string::npos)
      << r.out;
}

TEST_P(ImportScripts, AnArchiveOverItsTimeLimitIsStoppedAndTheNextOneImports) {
  archive("slow.tar", tar_bytes());
  archive("z-good.tar", tar_bytes("z"), {"example/good:latest"});
  const auto start = std::chrono::steady_clock::now();
  const auto r =
      sh("_i_done=0 _i_failed=0 _i_skipped=0; import_dir \"$FAKE/../images\" usb trusted; "
         "echo \"done=$_i_done failed=$_i_failed\"",
         {"IMPORT_TIME_LIMIT=2"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_NE(r.out.find("slow.tar: failed: not done after 2 s, stopped\n"), std::string::npos)
      << r.out << r.err;
  EXPECT_NE(r.out.find("z-good.tar: done (example/good:latest)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("done=1 failed=1"), std::string::npos) << r.out;
  // The stuck `docker load` went with it (a zombie is gone too: only its parent's wait is left).
  std::ifstream pid_file(dir_.path() / "fake/slow.pid");
  pid_t pid = 0;
  ASSERT_TRUE(pid_file >> pid);
  const auto running = [pid] {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    return line.substr(line.rfind(')') + 2, 1) != "Z";
  };
  for (int tries = 0; tries < 50 && running(); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(running()) << "docker load " << pid << " still runs";
}

TEST_P(ImportScripts, AGoodOciLayoutGetsAManifestFromItsIndex) {
  fixtures::Image image = fixtures::busybox_image("example/oci", "#!fake", {"/bin/busybox"});
  const auto written = fixtures::write_image_archive(
      {image}, {.form = fixtures::ArchiveForm::OciLayout, .epoch = 0});
  archive("oci.tar", written.tar);
  const auto r = sh("import_archive \"$FAKE/../images/oci.tar\" usb untrusted");
  EXPECT_NE(r.out.find("oci.tar: done (docker.io/example/oci:latest)"), std::string::npos)
      << r.out << r.err;
  const auto manifest = sh("cat \"$FAKE/stdin-manifest.json\"");
  EXPECT_EQ(manifest.out, "[{\"Config\":\"blobs/sha256/" + written.images[0].config_digest +
                              "\",\"RepoTags\":[\"docker.io/example/oci:latest\"],\"Layers\":[\""
                              "blobs/sha256/" +
                              written.images[0].layer_digests[0] + "\"]}]\n");
}

TEST_P(ImportScripts, NamesOnTheConsoleAreCleaned) {
  archive(std::string("\x1b[2Jevil\tname.tar"), "text\n");
  const auto r = sh("import_dir \"$FAKE/../images\" usb untrusted");
  EXPECT_EQ(r.out,
            "berth: import: ?[2Jevil?name.tar: failed: not an image archive (no tar, gzip, xz, "
            "zstd or bzip2 data)\n");
}

// A tab in the name once split the record's fields, so the archive was imported at every
// scan.
TEST_P(ImportScripts, AnArchiveWithATabInItsNameIsImportedOnce) {
  archive("with\ttab.tar", tar_bytes(), {"example/tab:latest"});
  const std::string import = "import_dir \"$FAKE/../images\" usb trusted";
  EXPECT_NE(sh(import).out.find("with?tab.tar: done (example/tab:latest)"), std::string::npos);
  const auto again = sh(import);
  EXPECT_EQ(again.out, "berth: import: with?tab.tar: unchanged, skipped\n") << again.err;
}

TEST_P(ImportScripts, WrapperNamesNeverShadowCommands) {
  fs::create_directories(dir_.path() / "var/lib/berth/bin");
  dir_.write("var/lib/berth/bin/mytool", "#!/bin/sh\n");
  const auto r =
      sh("import_wrapper_name example/htop:latest '' ' '; "
         "import_wrapper_name example/cat:latest '' ' '; "
         "import_wrapper_name example/mytool:v2 '' ' '; "
         "import_wrapper_name other/htop:latest '' ' htop '; "
         "import_wrapper_name example/x:latest greet ' '; "
         "import_wrapper_name 'example/bad name:1' '' ' ' || echo refused");
  EXPECT_EQ(r.out, "htop\ncat-docker\nmytool-docker\nother-htop\ngreet\nrefused\n") << r.err;
}

// Names are handed out trusted images first, then in import order (not name order), and
// stay with their image until it leaves Docker.
TEST_P(ImportScripts, ANameStaysWithTheImageThatHadItFirst) {
  imported("zzz/htop:latest", "", "untrusted", "/dev/sdc1");
  imported("example/htop:latest", "");
  imported("aaa/x:latest", R"({"io.whalebrew.name":"htop"})", "untrusted", "/dev/sdc1");
  ASSERT_EQ(sh("import_sync_wrappers").status, 0);
  EXPECT_EQ(sh("sort \"$IMPORT_STATE/commands\"").out,
            "aaa-x\taaa/x:latest\nhtop\texample/htop:latest\nzzz-htop\tzzz/htop:latest\n");
  // The trusted one goes; a newer trusted one comes: the names given stay as they are.
  fs::remove(dir_.path() / "fake/images/example_htop:latest");
  imported("new/htop:latest", "");
  const auto r =
      sh("import_sync_wrappers && sort \"$IMPORT_STATE/commands\" && cat \"$WRAPPER_DIR/htop\"");
  EXPECT_EQ(r.out,
            "aaa-x\taaa/x:latest\nhtop\tnew/htop:latest\nzzz-htop\tzzz/htop:latest\n"
            "#!/bin/sh\nexec " +
                dir_.path().string() + "/usr/lib/berth/run-image 'htop' 'new/htop:latest' \"$@\"\n")
      << r.err;
}

TEST_P(ImportScripts, LabelsAreReadWithJqAndControlCharactersAreRefused) {
  const auto r = sh(
      R"(printf '%s' '{"io.whalebrew.name":"n","io.whalebrew.config.environment":"[\"A=1\", \"B=two words\",\"C=\\\"q\\\"\"]","io.whalebrew.config.ports":"[\"1:2\"]\n","io.berth.privileged":"yes","io.whalebrew.config.working_dir":"/w\u001b[2J"}' | jq -r -f "$IMPORT_LIB/labels.jq")");
  EXPECT_EQ(r.out,
            "name n\nenv A=1\nenv B=two words\nenv C=\"q\"\nbad io.whalebrew.config.ports\n"
            "bad io.whalebrew.config.working_dir\npriv\n")
      << r.err;
}

// The argument list `docker run` gets from a trusted image's command, one a line.
TEST_P(ImportScripts, WrappersRunTheImageWithWhatTheLabelsAsk) {
  imported("example/labelled:latest",
           R"({"io.whalebrew.name":"greet",
               "io.whalebrew.config.environment":"[\"GREETING=hi there\", \"TERM\"]",
               "io.whalebrew.config.volumes":"[\"/srv/data:/data\", \"/nope:/x\"]",
               "io.whalebrew.config.ports":"[\"8089:80\"]",
               "io.whalebrew.config.networks":"[\"host\"]",
               "io.whalebrew.config.working_dir":"/work",
               "io.whalebrew.config.missing_volumes":"skip",
               "io.berth.devices":"[\"/dev/null\"]"})");
  const fs::path cwd = dir_.path() / "project";
  fs::create_directories(cwd);
  const auto r = sh("import_sync_wrappers && ls \"$WRAPPER_DIR\" && cd '" + cwd.string() +
                    "' && \"$WRAPPER_DIR/greet\" 'arg one' \"it's\"");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(r.out.substr(0, 6), "greet\n") << r.out;
  for (const std::string& part : std::vector<std::string>{
           "-e\nGREETING=hi there\n-e\nTERM\n", "-p\n8089:80\n", "--network\nhost\n",
           "--device\n/dev/null\n", "-v\n" + cwd.string() + ":/work\n-w\n/work\n-i\n", "-u\n",
           "--rm\n--init\nsha256:", "\narg one\nit's\n"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n---\n" << r.out;
  }
  // /srv/data is missing and missing_volumes=skip: no -v for it; /nope neither.
  EXPECT_EQ(r.out.find("/data\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--privileged"), std::string::npos);
}

TEST_P(ImportScripts, TheCurrentDirectoryIsSharedUnlessItHoldsTheHostsSecrets) {
  imported("example/t:latest", "");
  fs::create_directories(dir_.path() / "home/proj");
  ASSERT_EQ(sh("import_sync_wrappers").status, 0);
  const auto root = sh("cd / && \"$WRAPPER_DIR/t\"");
  EXPECT_EQ(root.out.find("-v\n"), std::string::npos) << root.out;
  EXPECT_EQ(root.err,
            "t: / is the system's, not shared with the container (cd to a directory of "
            "yours)\n");
  const auto etc = sh("cd /etc && \"$WRAPPER_DIR/t\"");
  EXPECT_EQ(etc.out.find("-v\n"), std::string::npos) << etc.out;
  const std::string home = (dir_.path() / "home").string();
  const auto in_home = sh("cd \"$HOME\" && \"$WRAPPER_DIR/t\"");
  EXPECT_NE(in_home.out.find("-v\n" + home + ":" + home + ":ro\n"), std::string::npos)
      << in_home.out;
  const auto below = sh("cd \"$HOME/proj\" && \"$WRAPPER_DIR/t\"");
  EXPECT_NE(below.out.find("-v\n" + home + "/proj:" + home + "/proj\n"), std::string::npos)
      << below.out;
  // The data volume's root holds Berth's state: read-only too.
  const std::string data = (dir_.path() / "run/berth/data").string();
  fs::create_directories(data);
  const auto in_data = sh("cd \"$BERTH_TEST_ROOT/run/berth/data\" && \"$WRAPPER_DIR/t\"");
  EXPECT_NE(in_data.out.find("-v\n" + data + ":" + data + ":ro\n"), std::string::npos)
      << in_data.out;
}

TEST_P(ImportScripts, AMissingVolumeStopsTheWrapperByDefault) {
  imported("example/v:latest",
           R"({"io.whalebrew.config.volumes":"[\"/berth-no-such-dir:/data\"]"})");
  const auto r = sh("import_sync_wrappers && \"$WRAPPER_DIR/v\"");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "v: /berth-no-such-dir (a volume of example/v:latest) does not exist\n");
}

TEST_P(ImportScripts, ARemovedImageLosesItsWrapper) {
  imported("example/a:latest", "");
  imported("example/b:latest", "");
  EXPECT_EQ(sh("import_sync_wrappers && ls \"$WRAPPER_DIR\"").out, "a\nb\n");
  fs::remove(dir_.path() / "fake/images/example_b:latest");
  EXPECT_EQ(sh("import_sync_wrappers && ls \"$WRAPPER_DIR\"").out, "a\n");
}

TEST_P(ImportScripts, OnlyATrustedMediumsScriptsGoOnPath) {
  fs::create_directories(dir_.path() / "stick/berth/bin");
  dir_.write("stick/berth/bin/tool", "#!/bin/sh\necho tool\n");
  fs::create_symlink("/etc/shadow", dir_.path() / "stick/berth/bin/shadow");
  const auto untrusted = sh("import_bin_dir \"$FAKE/../stick/berth/bin\" /dev/sdb1 untrusted");
  EXPECT_EQ(untrusted.out,
            "berth: import: berth/bin/ on /dev/sdb1 is not put on PATH: the source is not "
            "trusted; allow it with 'berth trust /dev/sdb1', then 'berth import'\n");
  EXPECT_FALSE(fs::exists(dir_.path() / "run/berth/bin/tool"));
  const auto trusted = sh("import_bin_dir \"$FAKE/../stick/berth/bin\" /dev/sdb1 trusted");
  EXPECT_EQ(trusted.out,
            "berth: import: berth/bin/shadow on /dev/sdb1: skipped: not a plain file with a plain "
            "name\n");
  EXPECT_TRUE(fs::exists(dir_.path() / "run/berth/bin/tool"));
  EXPECT_FALSE(fs::exists(dir_.path() / "run/berth/bin/shadow"));
}

// What gui-xpra asks before an image may become a display by its label: imported under its
// current id, trusted, from the boot medium or the data volume; a stick's never is.
TEST_P(ImportScripts, OnlyTheBuildsImagesComeFromTheBuild) {
  imported("berth/xpra:1", "");
  imported("berth/xephyr:1", "", "trusted", "the data volume");
  imported("evil/xpra:1", "", "untrusted", "/dev/sdb1");
  imported("trusted/stick:1", "", "trusted", "LABEL=MYSTICK");
  imported("berth/console:1", "", "untrusted", "the boot medium");
  const auto r =
      sh("for ref in berth/xpra:1 berth/xephyr:1 evil/xpra:1 trusted/stick:1 berth/console:1; do\n"
         "  id=$(docker image inspect --format '{{.Id}}' \"$ref\")\n"
         "  import_from_build \"$ref\" \"$id\" && echo \"$ref yes\" || echo \"$ref no\"\n"
         "done\n"
         "import_from_build berth/xpra:1 sha256:other && echo moved || echo 'moved no'");
  EXPECT_EQ(r.out,
            "berth/xpra:1 yes\nberth/xephyr:1 yes\nevil/xpra:1 no\ntrusted/stick:1 no\n"
            "berth/console:1 no\nmoved no\n")
      << r.err;
}

TEST_P(ImportScripts, SourcesAreTrustedByUuidOrLabel) {
  dir_.write("var/lib/berth/trust", "UUID=1234-ABCD\nLABEL=MYSTICK\n");
  const auto r =
      sh("for s in '1234-ABCD x' '9999 MYSTICK' '9999 OTHER' '9999 MY.STICK' ' '; do "
         "set -- $s; import_source_trusted \"${1:-}\" \"${2:-}\" && echo yes || echo no; done");
  EXPECT_EQ(r.out, "yes\nyes\nno\nno\nno\n") << r.err;
}

// `berth trust`: labels checked against a strict set, devices by their filesystem's UUID
// (blkid is a stand-in here), kept once, listed, removed.
TEST_P(ImportScripts, BerthTrustKeepsLabelsAndUuids) {
  const std::string command = (kLib / "commands/trust").string();
  const std::string shell = GetParam() == "busybox" ? "busybox sh" : GetParam();
  const auto trust = [&](const std::string& args) {
    return sh(shell + " '" + command + "' " + args);
  };
  EXPECT_EQ(trust("").out,
            "only the boot medium and the data volume are trusted ('berth trust --help' says how "
            "to add a source)\n");
  EXPECT_EQ(trust("MYSTICK").out,
            "berth trust: LABEL=MYSTICK is trusted now; 'berth import' imports its images again "
            "as trusted\n");
  EXPECT_EQ(trust("MYSTICK").out, "berth trust: LABEL=MYSTICK is trusted already\n");
  const auto bad = trust("'a;b'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err, "berth trust: 'a;b' is not a label berth trusts (letters, digits, . _ -)\n");
  EXPECT_EQ(trust("BERTH-DATA").status, 2);
  EXPECT_EQ(trust("/dev/berth-no-such").err,
            "berth trust: /dev/berth-no-such: no such block device\n");
  EXPECT_EQ(trust("").out, "LABEL=MYSTICK\n");
  EXPECT_EQ(trust("--remove LABEL=MYSTICK").status, 0);
  EXPECT_EQ(trust("--remove LABEL=MYSTICK").err, "berth trust: LABEL=MYSTICK is not in the list\n");
  EXPECT_EQ(sh("cat \"$TRUST_FILE\"").out, "");
}

TEST_P(ImportScripts, BerthImagesShowsTrustAndWhatLabelsAskFor) {
  imported("example/web:latest", R"({"io.whalebrew.config.ports":"[\"8080:80\"]"})");
  imported("usb/tool:latest", R"({"io.berth.privileged":"true"})", "untrusted", "/dev/sdb1");
  ASSERT_EQ(sh("import_sync_wrappers").status, 0);
  const std::string shell = GetParam() == "busybox" ? "busybox sh" : GetParam();
  const auto r = sh(shell + " '" + (kLib / "commands/images").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "IMAGE               COMMAND  TRUST      LABELS ASK FOR  ARCHIVE  FROM             IMPORTED\n"
      "example/web:latest  web      trusted    port 8080:80    x.tar    the boot medium  now\n"
      "usb/tool:latest     tool     untrusted  --privileged    x.tar    /dev/sdb1        now\n");
}

// A display as gui-xpra's `berth gui start` leaves it: a listening socket, a cookie and
// current.env naming them.
class GuiDisplay {
 public:
  explicit GuiDisplay(const fs::path& root) : dir_(root / "run/berth/gui/xpra") {
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
    std::ofstream(root / "run/berth/gui/current.env")
        << "mode=xpra\ndisplay=100\nsocket=" << socket_.string()
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

TEST_P(ImportScripts, AGuiImageGetsTheCurrentDisplaysSocketAndCookieOnly) {
  imported("example/viewer:latest", R"({"io.berth.gui":"true"})");
  const GuiDisplay display(dir_.path());
  const auto r = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/viewer\" file.txt");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  for (const std::string& part : std::vector<std::string>{
           "-e\nDISPLAY=:100\n", "-v\n" + display.socket() + ":/tmp/.X11-unix/X100:ro\n",
           "-e\nXAUTHORITY=/tmp/.berth-xauthority\n",
           "-v\n" + display.cookie() + ":/tmp/.berth-xauthority:ro\n", "\nfile.txt\n"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n---\n" << r.out;
  }
  // Never the whole socket directory, the host's network or more privileges.
  EXPECT_EQ(r.out.find("X11-unix:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("host"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("--privileged"), std::string::npos) << r.out;
}

TEST_P(ImportScripts, AGuiImageWithoutADisplaySaysHowToStartOne) {
  imported("example/viewer:latest", R"({"io.berth.gui":"true"})");
  const auto r = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/viewer\"");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "viewer: example/viewer:latest shows windows and no display is running; start one "
            "with 'berth gui start' (xpra, xephyr or console)\n");
  EXPECT_EQ(r.out, "");
}

TEST_P(ImportScripts, GuiSwitchGivesAnyWrapperTheDisplayAndIsNotPassedOn) {
  imported("example/plain:latest", "");
  const GuiDisplay display(dir_.path());
  const auto without = sh("mkdir -p /tmp && import_sync_wrappers && \"$WRAPPER_DIR/plain\" a");
  EXPECT_EQ(without.out.find("DISPLAY="), std::string::npos) << without.out;
  const auto with = sh("\"$WRAPPER_DIR/plain\" --gui a --gui");
  ASSERT_EQ(with.status, 0) << with.err;
  EXPECT_NE(with.out.find("-e\nDISPLAY=:100\n"), std::string::npos) << with.out;
  // Only a first --gui is the wrapper's; later ones belong to the program.
  EXPECT_NE(with.out.find("--init\nsha256:"), std::string::npos) << with.out;
  EXPECT_EQ(with.out.substr(with.out.size() - 9), "\na\n--gui\n") << with.out;
}

INSTANTIATE_TEST_SUITE_P(Shells, ImportScripts, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::import_docker
