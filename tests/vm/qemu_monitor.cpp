#include "qemu_monitor.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <berth/sdk/error.hpp>
#include <cstring>
#include <thread>

#include "unique_fd.hpp"

namespace berth::vm {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kPrompt = "(qemu) ";

// Reads until the text ends with the monitor's prompt; returns everything read.
std::string read_to_prompt(int fd, Clock::time_point deadline, const std::string& what) {
  std::string text;
  while (!text.ends_with(kPrompt)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) throw sdk::Error("qemu monitor: no prompt after " + what + ": " + text);
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) throw sdk::Error("qemu monitor closed the connection after " + what);
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace

std::string monitor_command(const std::filesystem::path& socket, const std::string& command,
                            std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket.string().size() >= sizeof addr.sun_path) {
    throw sdk::Error("qemu monitor socket path too long: " + socket.string());
  }
  std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
  while (true) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
    if (fd.get() < 0) throw sdk::Error("cannot create a unix socket");
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      read_to_prompt(fd.get(), deadline, "connecting");
      const std::string line = command + "\n";
      if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        throw sdk::Error("qemu monitor: cannot send " + command);
      }
      std::string reply = read_to_prompt(fd.get(), deadline, command);
      reply.resize(reply.size() - kPrompt.size());
      // The monitor echoes the command line first (redrawn key by key).
      if (const auto eol = reply.find('\n'); eol != std::string::npos) reply.erase(0, eol + 1);
      return reply;
    }
    if (Clock::now() > deadline)
      throw sdk::Error("cannot connect to qemu monitor " + socket.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void plug_usb_stick(const std::filesystem::path& socket, const std::filesystem::path& image,
                    const std::string& id, const std::string& serial) {
  const std::string drive = monitor_command(
      socket, "drive_add 0 if=none,id=" + id + ",format=raw,file=" + image.string());
  if (drive.find("OK") == std::string::npos) throw sdk::Error("drive_add failed: " + drive);
  const std::string device =
      monitor_command(socket, "device_add usb-storage,bus=usb.0,drive=" + id + ",id=" + id +
                                  "-dev,serial=" + serial + ",removable=on");
  if (!device.empty() && device.find_first_not_of("\r\n ") != std::string::npos) {
    throw sdk::Error("device_add failed: " + device);
  }
}

}  // namespace berth::vm
