// A running qemu guest reached through its first serial port, where a root shell listens.
//   QemuGuest guest(options);        // starts qemu
//   guest.wait_for_shell();          // prompt seen, console quietened (dmesg -n 1)
//   auto r = guest.run("docker info", 60s);   // r.output, r.status
//   guest.poweroff();                // true when qemu exited by itself
// Every wait has a deadline; on a timeout the error carries the last 2 KB of the console.
// The whole console goes to options.log_file as it arrives. The destructor kills qemu.
#pragma once

#include <berth/sdk/testing/temp_dir.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "qemu_command.hpp"

namespace berth::vm {

using sdk::testing::TempDir;

struct CommandResult {
  std::string command;
  std::string output;  // what the command printed, stdout and stderr as the console showed them
  int status = -1;
  bool ok() const { return status == 0; }
};

class QemuGuest {
 public:
  using Seconds = std::chrono::seconds;

  explicit QemuGuest(GuestOptions options);
  ~QemuGuest();
  QemuGuest(const QemuGuest&) = delete;
  QemuGuest& operator=(const QemuGuest&) = delete;

  // Waits (options.boot_timeout) for the shell prompt, then quietens the kernel console.
  void wait_for_shell();
  // Waits until the console's last line matches the regex `pattern` (escape sequences and CRs
  // removed), pressing Enter after options.poke_after of silence.
  void wait_for_prompt(const std::string& pattern, Seconds timeout);

  // Waits until `text` shows on the console at or after offset `from` (console().size()
  // taken before the input that causes it); fails on timeout or a panic.
  void wait_for_text(std::string_view text, std::size_t from, Seconds timeout);

  // Runs `command` in the guest shell; throws on timeout (after sending ^C) or if qemu exits.
  CommandResult run(std::string_view command, Seconds timeout = Seconds(60));
  // Like run, but a non-zero exit status is an error that shows the output.
  CommandResult check(std::string_view command, Seconds timeout = Seconds(60));
  // Runs `command` every `interval` until it succeeds or `total` has passed; returns the last
  // result (check ok() to know which).
  CommandResult retry(std::string_view command, Seconds total,
                      std::chrono::milliseconds interval = std::chrono::milliseconds(1000),
                      Seconds per_try = Seconds(60));

  // Types `poweroff` and waits for qemu to exit by itself; false when it did not in time.
  bool poweroff(Seconds timeout = Seconds(90));
  // Waits for qemu to exit by itself (the guest powered off, or restarted: qemu runs with
  // -no-reboot), reading the console meanwhile; a kernel panic is no error here.
  bool wait_for_exit(Seconds timeout);
  // Seconds since the guest kernel started (/proc/uptime).
  double uptime();

  // Kernel messages in command output are dropped unless this is turned off (e.g. for dmesg).
  void set_strip_kernel_messages(bool strip) { strip_kernel_ = strip; }
  // While a boot asks a question (a passphrase), an Enter pressed on silence would answer it.
  void set_poke_after(Seconds silence) { options_.poke_after = silence; }
  void send(std::string_view text);
  const std::string& console() const { return console_; }
  // When the console byte at `offset` arrived (the bench times a boot loader's lines with
  // it); nullopt when it has not yet.
  std::optional<std::chrono::steady_clock::time_point> arrival(std::size_t offset) const;
  std::string console_tail(std::size_t bytes = 2048) const;
  std::optional<int> exit_status() { return process_->poll_exit(); }
  const GuestOptions& options() const { return options_; }

 private:
  // Reads what arrives within `wait`; false once qemu has closed the console.
  bool pump(std::chrono::milliseconds wait);
  [[noreturn]] void fail(const std::string& what);
  // Fails once the guest kernel has panicked or oopsed (and printed its trace): no waiting out
  // timeouts.
  void fail_on_panic();
  std::string qemu_stderr() const;

  GuestOptions options_;
  TempDir scratch_;  // private OVMF variables, qemu's stderr; outlives process_
  std::ofstream log_;
  std::unique_ptr<ChildProcess> process_;
  std::string console_;
  // (console size after a read, when that read returned), one entry per read.
  std::vector<std::pair<std::size_t, std::chrono::steady_clock::time_point>> arrivals_;
  std::size_t command_from_ = 0;  // console offset where the next command's output may start
  std::string nonce_;
  unsigned counter_ = 0;
  bool strip_kernel_ = true;
  bool eof_ = false;
  std::optional<std::chrono::steady_clock::time_point> panic_seen_;
};

}  // namespace berth::vm
