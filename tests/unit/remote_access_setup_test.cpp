// remote-access's boot steps besides TLS and SSH, under busybox sh and dash: rc.d/62-shares
// (berth.share= checked item by item, mounted with a stand-in mount), rc.d/64-proxy (the URL
// checked, dockerd's drop-in and the shell's data file, NO_PROXY from the link routes,
// /etc/profile.d/berth-proxy.sh reading it back) and rc.d/63-registry-certs (the medium's and
// the data volume's files checked with the host's openssl and copied to certs.d).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::remote_access {
namespace {

namespace fs = std::filesystem;
using test::run_script;
using test::ScriptOutcome;

const fs::path kFiles = test::plugin_files("remote-access") / "rootfs";

class RemoteSetup : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    install_library(kFiles / "usr/lib/berth/remote.sh");
    install_library(test::cmdline_sh());
    tool("mount",
         "printf '%s\\n' \"$*\" >>\"$BERTH_TEST_ROOT/mounts\"\n"
         "case $* in *refused*) exit 32 ;; esac\n");
    tool("umount", "printf 'umount %s\\n' \"$*\" >>\"$BERTH_TEST_ROOT/mounts\"\n");
    tool("modprobe", "printf '%s\\n' \"$*\" >>\"$BERTH_TEST_ROOT/modprobes\"\n");
    tool("ip",
         "case $* in\n"
         "  'route show scope link') echo '10.0.2.0/24 dev eth0 proto kernel scope link src "
         "10.0.2.15' ;;\n"
         "  '-6 route show scope link') echo 'fe80::/64 dev eth0 proto kernel metric 256' ;;\n"
         "esac\n");
    root_.write("etc/hostname", "berth\n");
    cmdline("console=ttyS0");
  }
  void tool(const std::string& name, const std::string& body) {
    fs::permissions(root_.write("bin/" + name, "#!/bin/sh\n" + body), fs::perms(0755));
  }
  ScriptOutcome run(const std::string& script, const std::string& action = "start") {
    return run_in_root({(kFiles / "etc/berth/rc.d" / script).string(), action});
  }
};

TEST_P(RemoteSetup, SharesAreCheckedOneByOne) {
  cmdline(
      "berth.share=host:/mnt/host,bad$(x):/mnt/a,etc:/etc,up:/mnt/../etc,rel:mnt,nopath,"
      "refused:/srv/r,way-too-long-tag-for-virtio-9p-xx:/mnt/b,two:/srv/two");
  const auto outcome = run("62-shares");
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.out,
            "berth: share host at /mnt/host (virtio-9p)\n"
            "berth: share bad$(x):/mnt/a: the tag may hold A-Z a-z 0-9 . _ - only; not mounted\n"
            "berth: share etc:/etc: the system lives there; not mounted\n"
            "berth: share up:/mnt/../etc: the path may hold A-Z a-z 0-9 . _ / - only, without . "
            "or .. parts; not mounted\n"
            "berth: share rel:mnt: the path is not absolute; not mounted\n"
            "berth: share nopath: not TAG:PATH; not mounted\n"
            "berth: share refused: cannot mount it at /srv/r (is there a -virtfs "
            "...,mount_tag=refused?)\n"
            "berth: share way-too-long-tag-for-virtio-9p-xx:/mnt/b: the tag is longer than 31 "
            "characters; not mounted\n"
            "berth: share two at /srv/two (virtio-9p)\n");
  const std::string options = "-t 9p -o trans=virtio,version=9p2000.L,msize=262144 ";
  EXPECT_EQ(read("mounts"), options + "host " + path("mnt/host").string() + "\n" + options +
                                "refused " + path("srv/r").string() + "\n" + options + "two " +
                                path("srv/two").string() + "\n");
  EXPECT_EQ(read("modprobes"), "-q 9pnet_virtio\n-q 9p\n");
  EXPECT_EQ(run("62-shares", "status").out, "share: host at /mnt/host\nshare: two at /srv/two\n");
  run("62-shares", "stop");
  EXPECT_NE(read("mounts").find("umount " + path("srv/two").string() + "\n"), std::string::npos);
}

TEST_P(RemoteSetup, NoShareParameterNoMount) {
  EXPECT_EQ(run("62-shares").out, "");
  EXPECT_FALSE(exists("mounts"));
  EXPECT_FALSE(exists("modprobes"));
}

TEST_P(RemoteSetup, ProxyReachesDockerdAndTheShell) {
  if (test::find_program("jq").empty()) GTEST_SKIP() << "jq is not installed";
  cmdline("berth.proxy=http://user:secret@10.0.2.2:3128");
  const auto outcome = run("64-proxy");
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_EQ(outcome.out,
            "berth: proxy: http://10.0.2.2:3128 for dockerd and login shells (berth.proxy); not "
            "for localhost,127.0.0.0/8,::1,berth,10.0.2.0/24\n")
      << "the password stays out of the line";
  const auto dropin = nlohmann::json::parse(read("run/berth/docker/daemon.d/40-proxy.json"));
  EXPECT_EQ(dropin["proxies"]["http-proxy"], "http://user:secret@10.0.2.2:3128");
  EXPECT_EQ(dropin["proxies"]["https-proxy"], "http://user:secret@10.0.2.2:3128");
  EXPECT_EQ(dropin["proxies"]["no-proxy"], "localhost,127.0.0.0/8,::1,berth,10.0.2.0/24");
  EXPECT_EQ(read("run/berth/proxy"),
            "http://user:secret@10.0.2.2:3128\nlocalhost,127.0.0.0/8,::1,berth,10.0.2.0/24\n");

  // The profile script reads the file back as data (its /run path is fixed: a copy with the
  // test root's path stands in).
  std::ifstream in(kFiles / "etc/profile.d/berth-proxy.sh");
  std::ostringstream text;
  text << in.rdbuf();
  std::string profile = text.str();
  const std::string file = path("run/berth/proxy").string();
  for (std::size_t at = 0; (at = profile.find("/run/berth/proxy", at)) != std::string::npos;
       at += file.size()) {
    profile.replace(at, 16, file);
  }
  root_.write("profile.sh", profile);
  std::vector<std::string> argv = shell_;
  argv.insert(argv.end(), {"-c", ". \"$1\"; echo \"$https_proxy|$HTTP_PROXY|$NO_PROXY\"", "sh",
                           path("profile.sh").string()});
  EXPECT_EQ(run_script(argv).out,
            "http://user:secret@10.0.2.2:3128|http://user:secret@10.0.2.2:"
            "3128|localhost,127.0.0.0/8,::1,berth,10.0.2.0/24\n");
}

TEST_P(RemoteSetup, ABadProxyIsOneLineAndNoneAndTheBuildDefaultCounts) {
  if (test::find_program("jq").empty()) GTEST_SKIP() << "jq is not installed";
  root_.write("run/berth/proxy", "old\n");
  cmdline("berth.proxy=\"http://x;$(reboot)\x1b\"");
  auto outcome = run("64-proxy");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out,
            "berth: proxy: berth.proxy=http://x;$(reboot)?: not an http://, https:// or "
            "socks5:// URL of A-Z a-z 0-9 . _ ~ : / @ % + - [ ]; no proxy\n");
  EXPECT_FALSE(exists("run/berth/proxy"));
  EXPECT_FALSE(exists("run/berth/docker/daemon.d/40-proxy.json"));

  cmdline("console=ttyS0");
  root_.write("etc/berth/docker-proxy", "socks5://[fd00::1]:1080\n");
  outcome = run("64-proxy");
  EXPECT_NE(outcome.out.find("([engine] proxy)"), std::string::npos) << outcome.out;
  EXPECT_EQ(read("run/berth/proxy").substr(0, 25), "socks5://[fd00::1]:1080\nl");
  EXPECT_EQ(run("64-proxy", "status").status, 0);
}

TEST_P(RemoteSetup, RegistryCertsAreCheckedAndCopied) {
  for (const char* tool : {"openssl", "timeout"}) {
    if (test::find_program(tool).empty()) GTEST_SKIP() << tool << " is not installed";
  }
  const fs::path medium = path("run/berth/medium/berth/certs");
  fs::create_directories(medium / "registry.example_5000");
  fs::create_directories(medium / "bad name");
  fs::create_directories(path("var/lib/berth/certs/registry.example:5000"));
  fs::create_directories(path("var/lib/berth/certs/plain.example"));
  const std::string make =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-days 2 -subj /CN=t 2>/dev/null";
  ASSERT_EQ(run_script({"sh", "-c",
                        make + " -keyout \"$1/client.key\" -out \"$1/client.cert\" && " + make +
                            " -keyout /dev/null -out \"$1/ca.crt\" && " + make +
                            " -keyout /dev/null -out \"$2/ca.crt\"",
                        "sh", (medium / "registry.example_5000").string(),
                        path("var/lib/berth/certs/registry.example:5000").string()})
                .status,
            0);
  root_.write("run/berth/medium/berth/certs/registry.example_5000/notes.txt", "hello\n");
  root_.write("var/lib/berth/certs/plain.example/ca.crt", "-----BEGIN CERTIFICATE-----\nx\n");
  fs::create_symlink("/etc/shadow", medium / "registry.example_5000" / "link.crt");
  const auto outcome = run("63-registry-certs");
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  const std::string m = "berth: registry certs: the medium's berth/certs/";
  for (const std::string& line : std::vector<std::string>{
           m + "bad name: not a registry name (HOST, HOST:PORT or HOST_PORT); skipped",
           "berth: registry certs: registry.example:5000/ca.crt from the medium's berth/certs",
           "berth: registry certs: registry.example:5000/client.cert from the medium's berth/certs",
           "berth: registry certs: registry.example:5000/client.key from the medium's berth/certs",
           m + "registry.example_5000/link.crt: not a regular file of at most 65536 bytes; skipped",
           m + "registry.example_5000/notes.txt: not a .crt, .cert or .key file; skipped",
           "berth: registry certs: " + path("var/lib/berth/certs").string() +
               "/plain.example/ca.crt: not a PEM certificate; skipped"}) {
    EXPECT_NE(outcome.out.find(line + "\n"), std::string::npos) << line << "\n" << outcome.out;
  }
  // The data volume's ca.crt wins over the medium's.
  EXPECT_EQ(read("etc/docker/certs.d/registry.example:5000/ca.crt"),
            read("var/lib/berth/certs/registry.example:5000/ca.crt"));
  EXPECT_FALSE(exists("etc/docker/certs.d/registry.example:5000/link.crt"));
  EXPECT_FALSE(exists("etc/docker/certs.d/plain.example"));
  struct stat info {};
  ASSERT_EQ(::stat(path("etc/docker/certs.d/registry.example:5000/client.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u);
}

// system-trust in a registry's directory: its CAs join the system's bundle too (the image's
// bundle plus these, the same after a second start); the others' stay in certs.d only.
TEST_P(RemoteSetup, RegistryCasThatAskForItJoinTheSystemStore) {
  for (const char* tool : {"openssl", "timeout"}) {
    if (test::find_program(tool).empty()) GTEST_SKIP() << tool << " is not installed";
  }
  const fs::path medium = path("run/berth/medium/berth/certs");
  fs::create_directories(medium / "trusted.example_5000");
  fs::create_directories(medium / "docker-only.example");
  const std::string make =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-days 2 -subj /CN=t -keyout /dev/null 2>/dev/null";
  ASSERT_EQ(run_script({"sh", "-c", make + " -out \"$1/ca.crt\" && " + make + " -out \"$2/ca.crt\"",
                        "sh", (medium / "trusted.example_5000").string(),
                        (medium / "docker-only.example").string()})
                .status,
            0);
  root_.write("run/berth/medium/berth/certs/trusted.example_5000/system-trust", "");
  const std::string image = "-----BEGIN CERTIFICATE-----\nimage\n-----END CERTIFICATE-----\n";
  root_.write("etc/ssl/certs/ca-certificates.crt", image);

  const std::string trusted = read("run/berth/medium/berth/certs/trusted.example_5000/ca.crt");
  for (int start = 0; start < 2; ++start) {
    const auto outcome = run("63-registry-certs");
    EXPECT_EQ(outcome.status, 0) << outcome.err;
    EXPECT_NE(outcome.out.find("berth: registry certs: trusted.example:5000/ca.crt trusted by the "
                               "whole system (system-trust)\n"),
              std::string::npos)
        << outcome.out;
    EXPECT_EQ(outcome.out.find("system-trust: "), std::string::npos) << "no complaint about it";
    EXPECT_EQ(read("etc/ssl/certs/ca-certificates.crt"), image + trusted + "\n");
    EXPECT_EQ(read("usr/local/share/ca-certificates/berth/trusted.example_5000-ca.crt"), trusted);
    EXPECT_TRUE(exists("etc/docker/certs.d/trusted.example:5000/ca.crt"));
    EXPECT_FALSE(exists("etc/docker/certs.d/trusted.example:5000/system-trust"));
    EXPECT_TRUE(exists("etc/docker/certs.d/docker-only.example/ca.crt"));
  }
  // Asked no more: the image's bundle again.
  fs::remove(medium / "trusted.example_5000/system-trust");
  EXPECT_EQ(run("63-registry-certs").status, 0);
  EXPECT_EQ(read("etc/ssl/certs/ca-certificates.crt"), image);
  EXPECT_FALSE(exists("usr/local/share/ca-certificates/berth"));
}

INSTANTIATE_TEST_SUITE_P(Shells, RemoteSetup, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::remote_access
