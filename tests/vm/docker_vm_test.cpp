// Docker on the test build, booted directly (-kernel/-initrd, the fastest boot): networking
// (published ports from the guest and from the host, a user network between containers),
// dockerd supervision, a clean poweroff, and a small-memory guest.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <thread>

#include "docker_checks.hpp"
#include "http_client.hpp"
#include "local_port.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using namespace std::chrono_literals;

class DirectKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
  }
};

// GET / from 127.0.0.1:port on the host: the body, or "" when nothing answered (yet).
std::string http_get_local(std::uint16_t port) {
  try {
    return http_request(port, "GET", "/", {}, std::chrono::seconds(10)).body;
  } catch (const sdk::Error&) {
    return {};
  }
}

// busybox httpd serving one page with `text`, in the foreground of the container.
std::string web_server(const std::string& text) {
  return std::string(kTestImage) + " sh -c 'echo " + text +
         " >/var/www/index.html && exec httpd -f -p 80 -h /var/www'";
}

// One boot for the checks that cannot disturb each other: published ports, user networks,
// then dockerd killed and back, then a clean poweroff.
TEST_F(DirectKernel, PublishedPortsUserNetworksSupervisionAndPoweroff) {
  GuestOptions options = berth_guest_with_image(BootMode::DirectKernel);
  const std::uint16_t host_port = free_local_port();
  options.forwards.push_back({host_port, 8080});
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  load_test_image(guest);
  expect_container_echo(guest, "hello-from-berth");

  // A published port, reached from inside the guest (busybox's wget: Berth links the applet,
  // but asking busybox by name does not depend on that)...
  // (with a restart policy: the supervision check below expects it back after dockerd's)
  guest.check(
      "docker run -d --name web --restart always -p 8080:80 " + web_server("hello-published"),
      120s);
  const CommandResult local = guest.retry("busybox wget -qO- http://127.0.0.1:8080/", 60s);
  EXPECT_TRUE(local.ok() && local.output == "hello-published\n")
      << "wget exited " << local.status << ": " << local.output
      << guest.run("docker logs web; docker ps -a").output;
  // ... and from the host through qemu's forward to the guest's 8080.
  std::string from_host;
  for (int i = 0; i < 10 && from_host.find("hello-published") == std::string::npos; ++i) {
    from_host = http_get_local(host_port);
    if (from_host.empty()) std::this_thread::sleep_for(1s);
  }
  EXPECT_NE(from_host.find("hello-published"), std::string::npos) << "host got: " << from_host;

  // Containers on a user network reach each other by name (docker's embedded DNS).
  guest.check("docker network create t");
  guest.check("docker run -d --name srv --network t " + web_server("hello-from-srv"), 120s);
  const CommandResult peer = guest.retry(
      std::string("docker run --rm --network t ") + kTestImage + " wget -qO- http://srv/", 90s,
      2000ms, 120s);
  EXPECT_TRUE(peer.ok() && peer.output.find("hello-from-srv\n") != std::string::npos)
      << "exited " << peer.status << ": " << peer.output;

  // Supervision, on the same guest (nothing above depends on the dockerd it kills): a
  // killed dockerd comes back, the container with a restart policy serves again (without
  // live-restore, Berth's default, dockerd stops and restarts it first: its API answers
  // only after that), new containers run, and poweroff ends qemu.
  const std::string old_pid = guest.check("pidof dockerd").output;
  guest.check("kill -9 $(pidof dockerd)");
  // Supervised: a new dockerd answers within a bounded time.
  const CommandResult back =
      guest.retry("pid=$(pidof dockerd) && [ \"$pid\" != \"" +
                      old_pid.substr(0, old_pid.find('\n')) + "\" ] && docker info >/dev/null",
                  180s, 2000ms, 150s);
  ASSERT_TRUE(back.ok()) << "dockerd did not come back within 180 s: "
                         << guest.run("ps; tail -n 20 /var/log/docker.log").output;
  const CommandResult again = guest.retry("busybox wget -qO- http://127.0.0.1:8080/", 90s);
  EXPECT_TRUE(again.ok() && again.output == "hello-published\n")
      << "wget exited " << again.status << ": " << again.output
      << guest.run("docker ps -a; tail -n 20 /var/log/docker.log").output;
  load_test_image(guest);
  expect_container_echo(guest, "hello-after-restart");

  EXPECT_TRUE(guest.poweroff(120s)) << "qemu still running 120 s after poweroff:\n"
                                    << guest.console_tail();
  EXPECT_EQ(guest.exit_status(), 0);
}

TEST_F(DirectKernel, RunsAContainerIn512MiB) {
  GuestOptions options = berth_guest_with_image(BootMode::DirectKernel);
  options.memory_mib = 512;
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  load_test_image(guest);
  expect_container_echo(guest, "hello-from-berth");
  RecordProperty("free_m", guest.run("free -m").output);
}

}  // namespace
}  // namespace berth::vm
