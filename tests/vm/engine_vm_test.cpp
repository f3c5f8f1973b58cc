// The Docker features a user expects of a Docker OS, on the test build's engine (the
// multicall engine by default, issue 11): every name the engine answers to, the versions it
// reports, the fast image it starts from, its zstd decompressor, log drivers, content trust
// refused, tables of wide text, healthchecks, `docker build`, a one-node swarm with a published
// service, and a daemon with user namespaces. One boot for all: each check leaves nothing the next
// one sees, and the daemon restart for userns-remap comes last.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string_view>
#include <vector>

#include "base64.hpp"
#include "docker_checks.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using namespace std::chrono_literals;

class Engine : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
  }
};

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// Each program name answers with its version: the multicall dispatches on argv[0].
void expect_every_name_answers(QemuGuest& guest) {
  const struct {
    const char* command;
    const char* expected;
  } names[] = {
      {"dockerd --version", "Docker version "},
      {"docker --version", "Docker version "},
      {"containerd --version", "containerd github.com/containerd/containerd "},
      {"containerd-shim-runc-v2 -v", "containerd-shim-runc-v2:"},
      {"runc --version", "runc version "},
      {"zstd --version", "zstd (Berth engine)"},
  };
  for (const auto& name : names) {
    const CommandResult r = guest.run(name.command);
    EXPECT_TRUE(r.ok() && r.output.find(name.expected) != std::string::npos)
        << name.command << " exited " << r.status << ": " << r.output;
  }
}

// The engine comes from the fast image (zstd, decoded about three times faster than the
// release's xz base image), one file with all its names, runc beside it, and the base image
// has no copy.
void expect_engine_in_the_fast_image(QemuGuest& guest) {
  guest.check("grep -q '^[^ ]* /run/berth/fast squashfs ro' /proc/mounts");
  guest.check(
      "[ -f /run/berth/fast/usr/sbin/dockerd ] && [ ! -e /run/berth/base/usr/sbin/dockerd ]");
  const std::string inodes =
      guest
          .check(
              "stat -c %i /usr/sbin/dockerd /usr/bin/docker /usr/bin/containerd "
              "/usr/bin/containerd-shim-runc-v2 /usr/bin/zstd | sort -u | wc -l")
          .output;
  EXPECT_EQ(inodes, "1\n") << "the engine's names are not one file";
  // runc (dockerd runs it before it sets up storage) is its own file there; everything
  // else is the base image's.
  guest.check("[ -f /run/berth/fast/usr/sbin/runc ] && [ ! -e /run/berth/base/usr/sbin/runc ]");
  guest.check(
      "[ -f /run/berth/base/usr/sbin/xtables-nft-multi ] && [ ! -e "
      "/run/berth/fast/usr/sbin/xtables-nft-multi ]");
}

// The engine's zstd decompresses (GNU tar runs `zstd -d` for the importer's .tar.zst
// archives; the import tests load one) and says so in one line when asked to compress.
void expect_zstd_decompresses(QemuGuest& guest) {
  // "berth\n" as `zstd --no-check` writes it.
  const std::string frame =
      R"(printf '\050\265\057\375\000\130\061\000\000\142\145\162\164\150\012')";
  EXPECT_EQ(guest.check(frame + " | zstdcat").output, "berth\n");
  guest.check(frame + " >/tmp/note.zst && zstd -d /tmp/note.zst");
  EXPECT_EQ(guest.check("cat /tmp/note").output, "berth\n");
  const CommandResult again = guest.run("zstd -d /tmp/note.zst 2>&1");
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.output.find("exists already"), std::string::npos) << again.output;
  guest.check("echo changed >/tmp/note && unzstd -f /tmp/note.zst");
  EXPECT_EQ(guest.check("cat /tmp/note").output, "berth\n");
  const CommandResult compress = guest.run("echo data | zstd 2>&1");
  EXPECT_FALSE(compress.ok());
  EXPECT_NE(compress.output.find("decompresses only"), std::string::npos) << compress.output;
  const CommandResult garbage = guest.run("echo 'not zstd' | zstd -dc 2>&1");
  EXPECT_FALSE(garbage.ok()) << garbage.output;
  guest.check("rm -f /tmp/note /tmp/note.zst");
}

// `docker version` and `docker info` tell Debian's versions: the daemon and the CLI the
// same docker.io version (Debian's "+dfsg" repack, not a build's "dev"/"library-import"), and
// containerd's and runc's revisions what their own --version say.
void expect_debian_versions(QemuGuest& guest) {
  const std::string versions =
      guest.check("docker version --format '{{.Server.Version}} {{.Client.Version}}'").output;
  static const std::regex kDebianDocker(R"(([0-9]+\.[0-9]+\.[0-9]+\+dfsg[0-9]*) \1\n)");
  EXPECT_TRUE(std::regex_match(versions, kDebianDocker)) << "docker version: " << versions;

  const std::string containerd = guest.check("containerd --version").output;
  const std::string info_containerd =
      first_line(guest.check("docker info --format '{{.ContainerdCommit.ID}}'").output);
  EXPECT_FALSE(info_containerd.empty());
  EXPECT_NE(containerd.find(" " + info_containerd), std::string::npos)
      << "docker info's containerd " << info_containerd << " vs " << containerd;

  const std::string runc = guest.check("runc --version").output;
  const std::string info_runc =
      first_line(guest.check("docker info --format '{{.RuncCommit.ID}}'").output);
  EXPECT_FALSE(info_runc.empty());
  EXPECT_NE(runc.find(info_runc), std::string::npos)
      << "docker info's runc " << info_runc << " vs " << runc;
}

// The log drivers Berth keeps, and Docker's own refusal of one it leaves out.
void expect_log_drivers(QemuGuest& guest) {
  const std::string drivers = guest.check("docker info --format '{{.Plugins.Log}}'").output;
  for (const char* kept : {"json-file", "local", "syslog", "fluentd", "gelf"}) {
    EXPECT_NE(drivers.find(kept), std::string::npos) << kept << " missing from " << drivers;
  }
  const CommandResult aws =
      guest.run(std::string("docker run --rm --log-driver awslogs ") + kTestImage + " true 2>&1");
  EXPECT_FALSE(aws.ok());
  // Docker's answer for a driver it does not have: none built in, no plugin of that name.
  EXPECT_NE(
      aws.output.find("error looking up logging plugin awslogs: plugin \"awslogs\" not found"),
      std::string::npos)
      << aws.output;
  // A kept one works end to end: local driver, read back with docker logs.
  guest.check(std::string("docker run --name logged --log-driver local ") + kTestImage +
                  " echo logged-locally",
              120s);
  EXPECT_EQ(guest.check("docker logs logged").output, "logged-locally\n");
  guest.check("docker rm logged");
}

void expect_healthy(QemuGuest& guest) {
  guest.check(std::string("docker run -d --name hc --health-cmd 'test -e /tmp/up' "
                          "--health-interval 2s --health-retries 1 ") +
                  kTestImage + " sh -c 'touch /tmp/up; exec sleep 600'",
              120s);
  const CommandResult healthy =
      guest.retry("[ \"$(docker inspect -f '{{.State.Health.Status}}' hc)\" = healthy ]", 90s);
  EXPECT_TRUE(healthy.ok()) << guest.run("docker inspect -f '{{json .State.Health}}' hc").output;
  guest.check("docker rm -f hc");
}

// A Dockerfile with RUN steps, on the test image (no registry is reachable). The CLI runs
// the classic builder: BuildKit through `docker build` needs the buildx CLI plugin, which
// Debian packages apart (docker-buildx) and Berth does not ship.
void expect_docker_build(QemuGuest& guest) {
  guest.check("mkdir -p /tmp/ctx && printf 'FROM " + std::string(kTestImage) +
              "\\nRUN echo built-by-berth >/built\\nRUN cat /built >/built.copy\\n"
              "CMD [\"cat\", \"/built.copy\"]\\n' >/tmp/ctx/Dockerfile");
  const CommandResult build = guest.run("docker build -t berth-test/built /tmp/ctx 2>&1", 300s);
  ASSERT_TRUE(build.ok()) << build.output;
  EXPECT_EQ(guest.check("docker run --rm berth-test/built", 120s).output, "built-by-berth\n");
}

// dockerd started again with `sed_script` applied to its daemon.json.
void restart_docker_with(QemuGuest& guest, const std::string& sed_script) {
  guest.check("sed -i '" + sed_script + "' /etc/docker/daemon.json");
  guest.check("/etc/berth/rc.d/70-docker restart", 120s);
  wait_for_docker(guest);
}

// dockerd again, also on 127.0.0.1:2375, for the API calls busybox's wget can make.
void restart_docker_with_local_api(QemuGuest& guest) {
  restart_docker_with(guest,
                      "s|^{|{\"hosts\": [\"unix:///var/run/docker.sock\", "
                      "\"tcp://127.0.0.1:2375\"],|");
}

// The engine's BuildKit (builder-next) builds the Dockerfile's RUN steps: the build API
// with version=2 and the Dockerfile itself as the request body (BuildKit reads a body that is
// no archive as the Dockerfile; busybox's wget posts text only, it stops at a NUL byte),
// without a session, the way no CLI plugin is needed.
void expect_buildkit_build(QemuGuest& guest) {
  const CommandResult build = guest.run(
      "busybox wget -qO- --header 'Content-Type: text/plain' --post-file /tmp/ctx/Dockerfile "
      "'http://127.0.0.1:2375/build?version=2&t=berth-test/buildkit' 2>&1",
      300s);
  ASSERT_TRUE(build.ok()) << build.output;
  // BuildKit reports its progress as moby.buildkit.trace messages; the classic builder as
  // "Step N/M" lines.
  EXPECT_NE(build.output.find("moby.buildkit.trace"), std::string::npos) << build.output;
  EXPECT_EQ(build.output.find("\"error"), std::string::npos) << build.output;
  EXPECT_EQ(guest.check("docker run --rm berth-test/buildkit", 120s).output, "built-by-berth\n");
  guest.check("docker rmi berth-test/buildkit");
}

// A one-node swarm on the image's own daemon.json (swarm mode refuses live-restore, so
// Berth leaves it off): a service of 2 replicas behind the routing mesh's published port.
void expect_swarm_service(QemuGuest& guest) {
  const CommandResult init = guest.run("docker swarm init --advertise-addr 127.0.0.1 2>&1", 120s);
  ASSERT_TRUE(init.ok()) << init.output;
  guest.check("docker service create -d --name web --replicas 2 --no-resolve-image -p 8082:80 " +
                  std::string(kTestImage) +
                  " sh -c 'hostname >/tmp/h; exec httpd -f -p 80 -h /tmp'",
              120s);
  const CommandResult running =
      guest.retry("[ \"$(docker service ls --filter name=web --format '{{.Replicas}}')\" = 2/2 ]",
                  240s, 2000ms);
  ASSERT_TRUE(running.ok()) << guest.run("docker service ps --no-trunc web").output;
  const CommandResult page = guest.retry("busybox wget -qO- http://127.0.0.1:8082/h", 120s, 2000ms);
  EXPECT_TRUE(page.ok() && !page.output.empty())
      << page.output << guest.run("docker service ps --no-trunc web").output;
  guest.check("docker swarm leave --force", 120s);
}

// dockerd restarted with userns-remap: a container's root is an unprivileged host user.
void expect_userns_remap(QemuGuest& guest) {
  guest.check(
      "echo 'berthremap:x:231072:231072::/nonexistent:/bin/false' >>/etc/passwd && "
      "echo 'berthremap:x:231072:' >>/etc/group && "
      "echo 'berthremap:231072:65536' >>/etc/subuid && "
      "echo 'berthremap:231072:65536' >>/etc/subgid");
  restart_docker_with(guest, "s/^{/{\"userns-remap\": \"berthremap\",/");
  EXPECT_NE(guest.check("docker info --format '{{.SecurityOptions}}'").output.find("userns"),
            std::string::npos);
  load_test_image(guest);  // a remapped daemon has an image store of its own
  guest.check(std::string("docker run -d --name remapped ") + kTestImage + " sleep 600", 120s);
  const std::string pid =
      first_line(guest.check("docker inspect -f '{{.State.Pid}}' remapped").output);
  // Root in the container, uid 231072 on the host.
  EXPECT_EQ(guest.check("docker exec remapped id -u").output, "0\n");
  EXPECT_EQ(guest.check("awk '/^Uid:/ {print $2}' /proc/" + pid + "/status").output, "231072\n");
}

// Content trust is left out of the multicall CLI (no Notary client): asked for, a run is
// refused in one line instead of running an unverified image; `docker trust` is no command.
void expect_content_trust_refused(QemuGuest& guest) {
  const CommandResult trusted =
      guest.run(std::string("DOCKER_CONTENT_TRUST=1 docker run --rm ") + kTestImage + " true 2>&1");
  EXPECT_FALSE(trusted.ok());
  EXPECT_NE(trusted.output.find("content trust is not supported by this build"), std::string::npos)
      << trusted.output;
  EXPECT_FALSE(guest.run("docker trust inspect busybox 2>&1").ok());
}

// Terminal columns of UTF-8 text: two for the CJK ideographs, kana and fullwidth forms,
// one for any other character.
std::size_t display_columns(std::string_view text) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    char32_t code = length == 1 ? lead : lead & (0x7f >> length);
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    }
    const bool wide = (code >= 0x3000 && code <= 0x9fff) || (code >= 0xff00 && code <= 0xff60);
    columns += wide ? 2 : 1;
    i += length;
  }
  return columns;
}

// The CLI's tables measure a cell in terminal columns (per character since Berth's
// tabwriter-without-uniseg patch): a command of wide characters still lines the next column
// up, at the same column on every row. The wide text is made in the guest (printf's octal
// escapes) and the table comes back in base64, so that only ASCII crosses the console.
void expect_tables_align_wide_text(QemuGuest& guest) {
  guest.check(std::string("docker create --name wide ") + kTestImage +
              " echo \"$(printf '\\346\\227\\245\\346\\234\\254\\350\\252\\236')\"");
  guest.check(std::string("docker create --name narrow ") + kTestImage + " true");
  const std::string table =
      base64_decode(guest
                        .check("docker ps -a --no-trunc --filter name=wide --filter name=narrow "
                               "--format 'table {{.Command}}\\t{{.Names}}' | base64")
                        .output);
  guest.check("docker rm wide narrow");
  std::istringstream lines(table);
  std::vector<std::size_t> starts;
  for (std::string line; std::getline(lines, line);) {
    const std::size_t name = line.find_last_of(' ');
    ASSERT_NE(name, std::string::npos) << table;
    starts.push_back(display_columns(std::string_view(line).substr(0, name + 1)));
  }
  ASSERT_EQ(starts.size(), 3U) << table;  // the header and both containers
  EXPECT_NE(table.find("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), std::string::npos) << table;
  EXPECT_EQ(starts[0], starts[1]) << table;
  EXPECT_EQ(starts[0], starts[2]) << table;
}

TEST_F(Engine, NamesVersionsLogDriversHealthBuildSwarmAndUsernsRemap) {
  QemuGuest guest(berth_guest_with_image(BootMode::DirectKernel));
  guest.wait_for_shell();
  wait_for_docker(guest);
  expect_every_name_answers(guest);
  expect_engine_in_the_fast_image(guest);
  expect_zstd_decompresses(guest);
  expect_debian_versions(guest);
  load_test_image(guest);
  expect_log_drivers(guest);
  expect_content_trust_refused(guest);
  expect_tables_align_wide_text(guest);
  expect_healthy(guest);
  expect_docker_build(guest);
  expect_swarm_service(guest);
  restart_docker_with_local_api(guest);
  expect_buildkit_build(guest);
  expect_userns_remap(guest);
}

}  // namespace
}  // namespace berth::vm
