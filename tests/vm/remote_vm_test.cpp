// Using Berth from another machine (remote-access), through qemu's user-mode forwards to
// 127.0.0.1 on the host: the Docker API over TLS, with the client bundle `berth tls client`
// exports, runs a container from the host's docker CLI (dockerd listens on [::], IPv6 and
// IPv4); a client without a certificate, or
// with one another CA signed, and plain HTTP are refused; `berth tls disable` closes the port.
// SSH: the key given on the kernel command line logs in as root and reaches Docker, RSA and
// ECDSA keys too, and the Docker socket forwards to the host; a password is never asked for.
// berth.console=login: the serial console asks for the password `berth passwd` kept on the data
// volume, refuses a wrong one and opens a shell for the right.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <berth/sdk/files.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "disk_images.hpp"
#include "docker_checks.hpp"
#include "host_command.hpp"
#include "local_port.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class Remote : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
    for (const char* tool : {"docker", "openssl", "curl", "ssh", "ssh-keygen"}) {
      if (std::system((std::string("command -v ") + tool + " >/dev/null").c_str()) != 0) {
        GTEST_SKIP() << tool << " is not installed on the host";
      }
    }
  }
};

// A guest file's text, copied over the console into `to`.
void fetch(QemuGuest& guest, const std::string& from, const fs::path& to) {
  std::string text = guest.check("cat " + from).output;
  std::erase(text, '\r');
  std::ofstream(to) << text;
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write);
}

// The host's docker CLI with `flags` against the guest's forwarded port: its output, and
// whether it exited 0. HOME and DOCKER_CONFIG point at an empty directory: no client
// certificate or context of the host's own comes in.
struct HostDocker {
  std::string output;
  bool ok = false;
};
HostDocker host_docker(const fs::path& home, std::uint16_t port, const std::string& flags,
                       const std::string& command) {
  const std::string line = "HOME=" + home.string() + " DOCKER_CONFIG=" + home.string() +
                           "/.docker timeout 120 docker " + flags +
                           " -H tcp://127.0.0.1:" + std::to_string(port) + " " + command;
  try {
    return {host_command(line), true};
  } catch (const sdk::Error& error) {
    return {error.what(), false};
  }
}

TEST_F(Remote, DockerApiOverTlsTakesOnlyClientsWithItsCertificate) {
  GuestOptions options = berth_guest_with_image(BootMode::DirectKernel);
  options.append += " berth.docker=tls";
  const std::uint16_t port = free_local_port();
  options.forwards.push_back({port, 2376});
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  load_test_image(guest);

  const CommandResult bundle = guest.check("berth tls client /root/docker-tls");
  EXPECT_NE(bundle.output.find("DOCKER_HOST=tcp://10.0.2.15:2376 DOCKER_TLS_VERIFY=1 "
                               "DOCKER_CERT_PATH=/root/docker-tls"),
            std::string::npos)
      << bundle.output;
  EXPECT_NE(guest.check("berth tls").output.find("in RAM until the next boot"), std::string::npos);
  // One listener for IPv6 and IPv4 (the kernel has IPv6): the host's client below comes in
  // over IPv4, through qemu's forward.
  const CommandResult listening = guest.check("netstat -ltn | grep ':2376 '");
  EXPECT_NE(listening.output.find(":::2376 "), std::string::npos) << listening.output;
  TempDir home("berth-remote");
  const fs::path certs = home.path() / "certs";
  fs::create_directories(certs);
  for (const char* name : {"ca.pem", "cert.pem", "key.pem"}) {
    fetch(guest, std::string("/root/docker-tls/") + name, certs / name);
  }
  const std::string verify = "--tlsverify --tlscacert " + (certs / "ca.pem").string();
  const std::string with_cert = verify + " --tlscert " + (certs / "cert.pem").string() +
                                " --tlskey " + (certs / "key.pem").string();

  // The exported bundle: a container runs, from the host.
  HostDocker run;
  for (int i = 0; i < 10 && !run.ok; ++i) {
    run = host_docker(home.path(), port, with_cert,
                      std::string("run --rm ") + kTestImage + " echo hello-over-tls");
    if (!run.ok) std::this_thread::sleep_for(3s);
  }
  EXPECT_TRUE(run.ok && run.output.find("hello-over-tls") != std::string::npos) << run.output;

  // No client certificate: the handshake fails.
  const HostDocker bare = host_docker(home.path(), port, verify, "version --format x");
  EXPECT_FALSE(bare.ok) << bare.output;
  EXPECT_NE(bare.output.find("certificate"), std::string::npos) << bare.output;

  // A client certificate from another CA: refused too.
  const fs::path other = home.path() / "other";
  fs::create_directories(other);
  host_command("cd " + other.string() +
               " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout ca-key.pem -out ca.pem -days 2 -subj /CN=other-ca"
               " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout key.pem -out cert.pem -days 2 -subj /CN=intruder -CA ca.pem "
               "-CAkey ca-key.pem -addext extendedKeyUsage=clientAuth");
  const HostDocker intruder = host_docker(home.path(), port,
                                          verify + " --tlscert " + (other / "cert.pem").string() +
                                              " --tlskey " + (other / "key.pem").string(),
                                          "version --format x");
  EXPECT_FALSE(intruder.ok) << intruder.output;
  EXPECT_NE(intruder.output.find("certificate"), std::string::npos) << intruder.output;

  // No plain HTTP on the port.
  std::string plain;
  try {
    plain =
        host_command("curl -fsS --max-time 20 http://127.0.0.1:" + std::to_string(port) + "/_ping");
  } catch (const sdk::Error& error) {
    plain = std::string("refused: ") + error.what();
  }
  EXPECT_EQ(plain.rfind("refused: ", 0), 0u) << plain;

  // Off again: dockerd starts without the listener.
  const std::string old_pid = guest.check("cat /run/berth/dockerd.pid").output;
  guest.check("berth tls disable");
  const CommandResult back = guest.retry("pid=$(cat /run/berth/dockerd.pid) && [ \"$pid\" != " +
                                             old_pid.substr(0, old_pid.find_first_of("\r\n")) +
                                             " ] && docker info >/dev/null",
                                         120s, 2000ms);
  ASSERT_TRUE(back.ok()) << guest.run("tail -n 20 /var/log/docker.log").output;
  const HostDocker closed = host_docker(home.path(), port, with_cert, "version --format x");
  EXPECT_FALSE(closed.ok) << closed.output;
  expect_container_echo(guest, "still-local");
}

TEST_F(Remote, SshLetsInTheKeyOnlyAndNeverAsksForAPassword) {
  TempDir home("berth-ssh");
  const fs::path key = home.path() / "id_ed25519";
  host_command("ssh-keygen -q -t ed25519 -N '' -C berth-vm-test -f " + key.string());
  std::string public_key = host_command("cat " + key.string() + ".pub");
  public_key.erase(public_key.find_last_not_of("\r\n") + 1);

  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.append += " berth.ssh_key=\"" + public_key + "\"";
  const std::uint16_t port = free_local_port();
  options.forwards.push_back({port, 22});
  QemuGuest guest(options);
  guest.wait_for_shell();
  const CommandResult status = guest.retry("/etc/berth/rc.d/72-ssh status", 60s);
  ASSERT_TRUE(status.ok()) << status.output << guest.run("grep -i ssh /var/log/messages").output;

  const std::string ssh = "HOME=" + home.path().string() +
                          " timeout 120 ssh -F /dev/null -o StrictHostKeyChecking=no "
                          "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=60 "
                          "-p " +
                          std::to_string(port);
  std::string logged_in;
  for (int i = 0; i < 5 && logged_in.find("hello-over-ssh") == std::string::npos; ++i) {
    try {
      logged_in = host_command(ssh + " -i " + key.string() +
                               " root@127.0.0.1 'echo hello-over-ssh; id -u; "
                               "cat /run/berth/docker.ready 2>/dev/null || echo no-docker-yet'");
    } catch (const sdk::Error& error) {
      logged_in = error.what();
      std::this_thread::sleep_for(3s);
    }
  }
  EXPECT_NE(logged_in.find("hello-over-ssh\n0\n"), std::string::npos) << logged_in;

  // RSA and ECDSA keys as well (remote-access's dropbear has them from its bundled
  // libtomcrypt and libtommath), taken from /var/lib/berth/ssh/authorized_keys at a restart.
  std::string more_keys;
  for (const std::string type : {"rsa", "ecdsa"}) {
    const fs::path file = home.path() / ("id_" + type);
    host_command("ssh-keygen -q -t " + type + " -N '' -C berth-vm-test -f " + file.string());
    more_keys += "'" + host_command("cat " + file.string() + ".pub");
    more_keys.erase(more_keys.find_last_not_of("\r\n") + 1);
    more_keys += "' ";
  }
  guest.check("mkdir -p /var/lib/berth/ssh && printf '%s\\n' " + more_keys +
              ">>/var/lib/berth/ssh/authorized_keys && /etc/berth/rc.d/72-ssh restart");
  for (const std::string type : {"rsa", "ecdsa"}) {
    std::string answer;
    try {
      answer = host_command(ssh + " -i " + (home.path() / ("id_" + type)).string() +
                            " root@127.0.0.1 'echo " + type + "-key-in'");
    } catch (const sdk::Error& error) {
      answer = error.what();
    }
    EXPECT_NE(answer.find(type + "-key-in"), std::string::npos) << answer;
  }

  // The Docker socket forwarded to a Unix socket on the host (OpenSSH's -L to a socket:
  // dropbear's direct-streamlocal channel), as users reach dockerd over SSH. ssh stays in
  // the background while the guest's `sleep` runs, its output to /dev/null so that
  // host_command does not wait for it.
  wait_for_docker(guest);
  const fs::path socket = home.path() / "docker.sock";
  host_command(ssh + " -i " + key.string() + " -f -o ExitOnForwardFailure=yes -L " +
               socket.string() +
               ":/var/run/docker.sock root@127.0.0.1 sleep 60 </dev/null >/dev/null");
  std::string version;
  try {
    version =
        host_command("HOME=" + home.path().string() + " DOCKER_CONFIG=" + home.path().string() +
                     "/.docker timeout 60 docker -H unix://" + socket.string() +
                     " version --format '{{.Server.Os}}'");
  } catch (const sdk::Error& error) {
    version = error.what();
  }
  EXPECT_EQ(version, "linux\n") << version;

  // Passwords: not offered (dropbear -s), so a client that will only use one is refused.
  std::string password;
  try {
    password = host_command(ssh +
                            " -o PubkeyAuthentication=no "
                            "-o PreferredAuthentications=password,keyboard-interactive "
                            "root@127.0.0.1 true");
  } catch (const sdk::Error& error) {
    password = error.what();
  }
  EXPECT_NE(password.find("Permission denied (publickey)"), std::string::npos) << password;
  // Another key: refused too.
  host_command("ssh-keygen -q -t ed25519 -N '' -f " + (home.path() / "other").string());
  std::string other;
  try {
    other = host_command(ssh + " -i " + (home.path() / "other").string() + " root@127.0.0.1 true");
  } catch (const sdk::Error& error) {
    other = error.what();
  }
  EXPECT_NE(other.find("Permission denied"), std::string::npos) << other;
}

// berth.proxy= reaches dockerd (docker info) and login shells, with the local network in
// NO_PROXY; a registry's CA and client certificate on the medium (a tmpfs standing in for it:
// direct boots have none) go to /etc/docker/certs.d/, a bad file and name get a line each.
TEST_F(Remote, ProxyReachesDockerAndShellsAndRegistryCertsReachCertsD) {
  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.append += " berth.proxy=http://10.0.2.2:3128";
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  const CommandResult info = guest.check("docker info 2>/dev/null | grep -i proxy");
  EXPECT_NE(info.output.find("HTTP Proxy: http://10.0.2.2:3128"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("HTTPS Proxy: http://10.0.2.2:3128"), std::string::npos)
      << info.output;
  EXPECT_NE(info.output.find("No Proxy: localhost,127.0.0.0/8,::1,berth,10.0.2.0/24"),
            std::string::npos)
      << info.output;
  const CommandResult shell = guest.check("sh -l -c 'echo \"$HTTPS_PROXY|$no_proxy\"'");
  EXPECT_NE(shell.output.find("http://10.0.2.2:3128|localhost,127.0.0.0/8,::1,berth,10.0.2.0/24"),
            std::string::npos)
      << shell.output;

  guest.check(
      "mkdir -p /run/berth/medium && mount -t tmpfs medium /run/berth/medium && "
      "mkdir -p /run/berth/medium/berth/certs/registry.example_5000 "
      "/run/berth/medium/berth/certs/bad%name && cd /tmp && "
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem "
      "-out /run/berth/medium/berth/certs/registry.example_5000/ca.crt -days 2 -subj /CN=reg "
      "2>/dev/null && echo junk >/run/berth/medium/berth/certs/registry.example_5000/bad.crt");
  const CommandResult certs = guest.check("/etc/berth/rc.d/63-registry-certs start");
  EXPECT_NE(certs.output.find("registry certs: registry.example:5000/ca.crt from the medium's "
                              "berth/certs"),
            std::string::npos)
      << certs.output;
  EXPECT_NE(certs.output.find("registry.example_5000/bad.crt: not a PEM certificate; skipped"),
            std::string::npos)
      << certs.output;
  EXPECT_NE(certs.output.find("bad%name: not a registry name"), std::string::npos) << certs.output;
  EXPECT_TRUE(guest
                  .run("cmp /etc/docker/certs.d/registry.example:5000/ca.crt "
                       "/run/berth/medium/berth/certs/registry.example_5000/ca.crt")
                  .ok());
  EXPECT_FALSE(guest.run("[ -e /etc/docker/certs.d/registry.example:5000/bad.crt ]").ok());
}

// berth.console=login without a password: the serial console is locked (never a shell) and
// says how to set one; `berth passwd` over SSH opens the login prompt without a reboot.
TEST_F(Remote, ConsoleLoginIsLockedUntilAPasswordIsSet) {
  TempDir home("berth-locked");
  const fs::path key = home.path() / "id_ed25519";
  host_command("ssh-keygen -q -t ed25519 -N '' -C berth-vm-test -f " + key.string());
  std::string public_key = host_command("cat " + key.string() + ".pub");
  public_key.erase(public_key.find_last_not_of("\r\n") + 1);

  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.append += " berth.console=login berth.ssh_key=\"" + public_key + "\"";
  const std::uint16_t port = free_local_port();
  options.forwards.push_back({port, 22});
  QemuGuest guest(options);
  guest.set_poke_after(600s);
  guest.wait_for_text("this console is locked", 0, options.boot_timeout);
  EXPECT_NE(guest.console().find("'berth passwd' sets one"), std::string::npos);
  EXPECT_NE(guest.console().find("console: locked (berth.console=login and no password)"),
            std::string::npos);

  const std::string ssh = "HOME=" + home.path().string() +
                          " timeout 120 ssh -F /dev/null -o StrictHostKeyChecking=no "
                          "-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=60 "
                          "-p " +
                          std::to_string(port) + " -i " + key.string() + " root@127.0.0.1 ";
  std::string set;
  for (int i = 0; i < 10 && set.find("root's password: set") == std::string::npos; ++i) {
    try {
      set = host_command(ssh + "'echo right horse battery | berth passwd --stdin'");
    } catch (const sdk::Error& error) {
      set = error.what();
      std::this_thread::sleep_for(5s);
    }
  }
  ASSERT_NE(set.find("root's password: set"), std::string::npos) << set;
  EXPECT_EQ(guest.console().find("# "), std::string::npos) << "no shell while locked";

  guest.wait_for_prompt("login: $", 120s);
  guest.send("root\n");
  guest.wait_for_prompt("Password: ?$", 60s);
  guest.send("right horse battery\n");
  guest.wait_for_shell();
  EXPECT_EQ(guest.check("id -u").output, "0\n");
}

// `text` as the guest's file `to`, over the console, ten lines a command (a line of the
// serial console takes a few hundred bytes safely; a PEM file's lines hold no quote).
void put_text(QemuGuest& guest, const std::string& to, const std::string& text) {
  guest.check(": >" + to);
  std::istringstream lines(text);
  std::string command;
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    command += " '" + line + "'";
    if (++count % 10 == 0) {
      guest.check("printf '%s\\n'" + command + " >>" + to);
      command.clear();
    }
  }
  if (!command.empty()) guest.check("printf '%s\\n'" + command + " >>" + to);
}

// The system trusts the usual CAs (Debian's ca-certificates, in the bundle the build makes
// since no maintainer script runs), and a registry's CA once its directory on the medium
// holds system-trust: a certificate that CA signed verifies against the default store. The
// image's `openssl verify` is the multicall engine's: Go's crypto/x509 with the system's
// CAs, as dockerd sees them.
TEST_F(Remote, SystemTrustsDebianCasAndRegistryCasThatAskForIt) {
  const fs::path isrg = "/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt";
  if (!fs::exists(isrg)) GTEST_SKIP() << isrg << " is not on the host (ca-certificates)";
  // The registry's CA and a certificate it signed, made on the host with OpenSSL's program.
  TempDir made("berth-registry-ca");
  host_command("cd " + made.path().string() +
               " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
               "-keyout ca.key -out ca.crt -days 2 -subj /CN=registry-ca 2>/dev/null"
               " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "
               "leaf.key -out leaf.csr -subj /CN=registry.example 2>/dev/null"
               " && openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
               "-days 2 -out leaf.pem 2>/dev/null");

  QemuGuest guest(berth_guest(BootMode::DirectKernel));
  guest.wait_for_shell();
  put_text(guest, "/tmp/isrg.pem", sdk::read_text(isrg));
  const CommandResult debian = guest.run("openssl verify /tmp/isrg.pem");
  EXPECT_TRUE(debian.ok()) << debian.output;
  EXPECT_NE(debian.output.find(": OK"), std::string::npos) << debian.output;

  const std::string dir = "/run/berth/medium/berth/certs/registry.example_5000";
  guest.check("mkdir -p /run/berth/medium && mount -t tmpfs medium /run/berth/medium && mkdir -p " +
              dir);
  put_text(guest, dir + "/ca.crt", sdk::read_text(made.path() / "ca.crt"));
  put_text(guest, "/tmp/leaf.pem", sdk::read_text(made.path() / "leaf.pem"));
  const CommandResult untrusted = guest.run("openssl verify /tmp/leaf.pem");
  EXPECT_FALSE(untrusted.ok()) << "not trusted yet";
  EXPECT_NE(untrusted.output.find("verification failed"), std::string::npos) << untrusted.output;
  guest.check("/etc/berth/rc.d/63-registry-certs start");
  EXPECT_FALSE(guest.run("openssl verify /tmp/leaf.pem").ok()) << "certs.d only without asking";

  guest.check("touch " + dir + "/system-trust");
  const CommandResult certs = guest.check("/etc/berth/rc.d/63-registry-certs start");
  EXPECT_NE(certs.output.find("registry.example:5000/ca.crt trusted by the whole system"),
            std::string::npos)
      << certs.output;
  const CommandResult leaf = guest.run("openssl verify /tmp/leaf.pem");
  EXPECT_TRUE(leaf.ok()) << leaf.output;
  EXPECT_TRUE(guest.run("openssl verify /tmp/isrg.pem").ok()) << "the usual CAs stay";
}

// berth.share= mounts a host folder shared over virtio-9p before dockerd starts: a container
// reads the host's file through `docker run -v` and writes one the host reads back.
TEST_F(Remote, SharedFolderIsReadAndWrittenFromAContainer) {
  TempDir shared("berth-share");
  std::ofstream(shared.path() / "from-host.txt") << "hello-from-the-host\n";
  GuestOptions options = berth_guest_with_image(BootMode::DirectKernel);
  options.append += " berth.share=hostshare:/mnt/host";
  options.extra_args.insert(options.extra_args.end(),
                            {"-virtfs", "local,path=" + shared.path().string() +
                                            ",mount_tag=hostshare,security_model=none,id=share0"});
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  load_test_image(guest);
  const CommandResult run =
      guest.check(std::string("docker run --rm -v /mnt/host:/data ") + kTestImage +
                      " sh -c 'cat /data/from-host.txt && echo "
                      "hello-from-the-container >/data/from-guest.txt'",
                  120s);
  EXPECT_NE(run.output.find("hello-from-the-host"), std::string::npos) << run.output;
  std::ifstream back(shared.path() / "from-guest.txt");
  std::string line;
  std::getline(back, line);
  EXPECT_EQ(line, "hello-from-the-container");
}

TEST_F(Remote, ConsoleLoginAsksForThePasswordKeptOnTheDataVolume) {
  TempDir dir("berth-console");
  const fs::path disk = ext4_disk(dir, "data.img", "BERTH-DATA");
  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.disks.push_back({disk, false, "berth-data", true});
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    const CommandResult set = guest.run(
        "echo 'right horse battery' | berth passwd --stdin && cat "
        "/var/lib/berth/console/root.hash");
    ASSERT_TRUE(set.ok()) << set.output;
    EXPECT_NE(set.output.find("kept on the data volume"), std::string::npos) << set.output;
    EXPECT_EQ(set.output.find("horse"), std::string::npos) << "only the hash is kept";
    ASSERT_TRUE(guest.poweroff());
  }

  options.append += " berth.console=login";
  QemuGuest guest(options);
  // No Enter on silence: at the password prompt it would be an answer.
  guest.set_poke_after(600s);
  guest.wait_for_prompt("login: $", options.boot_timeout);
  EXPECT_NE(guest.console().find("console: asks for root's password (berth.console=login)"),
            std::string::npos);
  std::size_t from = guest.console().size();
  guest.send("root\n");
  guest.wait_for_prompt("Password: ?$", 60s);
  guest.send("wrong horse battery\n");
  guest.wait_for_text("Login incorrect", from, 60s);
  guest.wait_for_prompt("login: $", 60s);
  EXPECT_EQ(guest.console().substr(from).find("# "), std::string::npos)
      << "a wrong password gives no shell: " << guest.console_tail();

  guest.send("root\n");
  guest.wait_for_prompt("Password: ?$", 60s);
  guest.send("right horse battery\n");
  guest.wait_for_shell();
  EXPECT_EQ(guest.check("id -u").output, "0\n");
}

}  // namespace
}  // namespace berth::vm
