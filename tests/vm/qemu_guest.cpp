#include "qemu_guest.hpp"

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "console_text.hpp"

namespace berth::vm {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds until(Clock::time_point deadline, std::chrono::milliseconds cap) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(std::chrono::milliseconds(0), std::min(left, cap));
}

std::string quote_argv(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) {
    line += line.empty() ? "" : " ";
    line += a.find_first_of(" '\"") == std::string::npos ? a : "'" + a + "'";
  }
  return line;
}

}  // namespace

QemuGuest::QemuGuest(GuestOptions options) : options_(std::move(options)), scratch_("berth-vm-") {
  check_inputs(options_);
  const fs::path vars = scratch_.path() / "OVMF_VARS.fd";
  if (uses_ovmf(options_.mode)) {
    fs::copy_file(options_.ovmf_vars, vars);
    fs::permissions(vars, fs::perms::owner_read | fs::perms::owner_write);
  }
  const auto argv = qemu_arguments(options_, vars);
  if (!options_.log_file.empty()) {
    if (options_.log_file.has_parent_path())
      fs::create_directories(options_.log_file.parent_path());
    log_.open(options_.log_file, std::ios::binary | std::ios::trunc);
    log_ << "# " << quote_argv(argv) << "\n" << std::flush;
  }
  std::random_device random;
  nonce_ = std::to_string(random() % 1000000);
  process_ = std::make_unique<ChildProcess>(argv, scratch_.path() / "qemu.stderr");
}

QemuGuest::~QemuGuest() {
  const int status = process_->terminate();
  if (log_.is_open()) {
    log_ << "\n# qemu exit status " << status << "\n";
    const std::string err = qemu_stderr();
    if (!err.empty()) log_ << "# qemu stderr:\n" << err;
  }
}

bool QemuGuest::pump(std::chrono::milliseconds wait) {
  if (eof_) {
    std::this_thread::sleep_for(wait);
    return false;
  }
  const std::size_t before = console_.size();
  if (!process_->read(console_, wait)) eof_ = true;
  if (console_.size() > before) {
    arrivals_.emplace_back(console_.size(), Clock::now());
    if (log_.is_open()) {
      log_.write(console_.data() + before, static_cast<std::streamsize>(console_.size() - before));
      log_.flush();
    }
    const std::size_t overlap = std::min<std::size_t>(before, 64);
    // An oops leaves the guest up but broken (qemu's TCG here now and then corrupts a guest
    // kernel): a command would only wait out its timeout, so it counts like a panic.
    if (!panic_seen_ &&
        (console_.find("Kernel panic - not syncing", before - overlap) != std::string::npos ||
         console_.find("] Oops: ", before - overlap) != std::string::npos)) {
      panic_seen_ = Clock::now();
    }
  }
  return !eof_;
}

void QemuGuest::fail_on_panic() {
  if (!panic_seen_) return;
  // Give the kernel a moment to print the whole trace, which ends with one of these lines.
  const std::size_t recent = console_.size() > 4096 ? console_.size() - 4096 : 0;
  if (console_.find("---[ end Kernel panic", recent) != std::string::npos ||
      console_.find("---[ end trace", recent) != std::string::npos ||
      Clock::now() - *panic_seen_ > std::chrono::seconds(5)) {
    fail("the guest kernel panicked or oopsed");
  }
}

void QemuGuest::send(std::string_view text) {
  if (eof_) fail("qemu has exited; cannot send input");
  process_->write(text);
}

std::optional<Clock::time_point> QemuGuest::arrival(std::size_t offset) const {
  const auto read =
      std::upper_bound(arrivals_.begin(), arrivals_.end(), offset,
                       [](std::size_t wanted, const auto& entry) { return wanted < entry.first; });
  if (read == arrivals_.end()) return std::nullopt;
  return read->second;
}

std::string QemuGuest::console_tail(std::size_t bytes) const {
  return printable_tail(console_, bytes);
}

std::string QemuGuest::qemu_stderr() const {
  std::ifstream in(scratch_.path() / "qemu.stderr");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void QemuGuest::fail(const std::string& what) {
  std::string message = to_string(options_.mode) + " guest: " + what;
  if (eof_) {
    const auto status = process_->wait_exit(std::chrono::seconds(2));
    message += " (qemu exited" + (status ? " with status " + std::to_string(*status) : "") + ")";
    if (const std::string err = qemu_stderr(); !err.empty()) message += "\nqemu stderr:\n" + err;
  }
  if (!options_.log_file.empty()) message += "\nconsole log: " + options_.log_file.string();
  message += "\n--- last console output ---\n" + console_tail() + "\n---";
  throw sdk::Error(message);
}

void QemuGuest::wait_for_shell() {
  wait_for_prompt(options_.prompt_pattern, options_.boot_timeout);
  // Kernel messages would interleave with command output on this console.
  check("dmesg -n 1", Seconds(60));
}

void QemuGuest::wait_for_prompt(const std::string& pattern, Seconds timeout) {
  const std::regex prompt(pattern);
  const auto deadline = Clock::now() + timeout;
  auto last_output = Clock::now();
  for (;;) {
    // The last line only: a prompt is what the console ends with, not what it once showed.
    const std::size_t from = console_.size() > 512 ? console_.size() - 512 : 0;
    const std::string tail = clean_console(std::string_view(console_).substr(from), true);
    if (std::regex_search(std::string(last_line(tail)), prompt)) break;
    fail_on_panic();
    if (Clock::now() >= deadline) {
      fail("no console line matching /" + pattern + "/ within " + std::to_string(timeout.count()) +
           " s");
    }
    const std::size_t before = console_.size();
    if (!pump(until(deadline, std::chrono::milliseconds(250)))) {
      fail("qemu exited before a line matching /" + pattern + "/ appeared");
    }
    if (console_.size() > before) {
      last_output = Clock::now();
    } else if (Clock::now() - last_output >= options_.poke_after) {
      send("\n");
      last_output = Clock::now();
    }
  }
  command_from_ = console_.size();
}

CommandResult QemuGuest::run(std::string_view command, Seconds timeout) {
  if (command.empty()) throw sdk::Error("run: empty command");
  const std::string tag = nonce_ + "_" + std::to_string(++counter_);
  send(wrap_command(command, tag));
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const std::string clean =
        clean_console(std::string_view(console_).substr(command_from_), strip_kernel_);
    if (auto found = find_command_output(clean, tag)) {
      command_from_ = console_.size();
      return {std::string(command), std::move(found->output), found->status};
    }
    fail_on_panic();
    if (Clock::now() >= deadline) {
      // ^C so the shell is usable again for whatever the caller does after the error.
      if (!eof_) process_->write("\x03");
      fail("`" + std::string(command) + "` did not finish within " +
           std::to_string(timeout.count()) + " s");
    }
    if (!pump(until(deadline, std::chrono::milliseconds(250)))) {
      fail("qemu exited while running `" + std::string(command) + "`");
    }
  }
}

CommandResult QemuGuest::check(std::string_view command, Seconds timeout) {
  CommandResult result = run(command, timeout);
  if (!result.ok()) {
    throw sdk::Error(to_string(options_.mode) + " guest: `" + result.command + "` exited " +
                     std::to_string(result.status) + "; output:\n" + result.output);
  }
  return result;
}

CommandResult QemuGuest::retry(std::string_view command, Seconds total,
                               std::chrono::milliseconds interval, Seconds per_try) {
  const auto deadline = Clock::now() + total;
  for (;;) {
    CommandResult result = run(command, per_try);
    if (result.ok() || Clock::now() + interval >= deadline) return result;
    std::this_thread::sleep_for(interval);
  }
}

bool QemuGuest::poweroff(Seconds timeout) {
  send("poweroff\n");
  return wait_for_exit(timeout);
}

void QemuGuest::wait_for_text(std::string_view text, std::size_t from, Seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (console_.find(text, std::min(from, console_.size())) == std::string::npos) {
    fail_on_panic();
    if (Clock::now() >= deadline) fail("timed out waiting for \"" + std::string(text) + "\"");
    if (!pump(until(deadline, std::chrono::milliseconds(250)))) {
      fail("qemu closed the console while waiting for \"" + std::string(text) + "\"");
    }
  }
}

bool QemuGuest::wait_for_exit(Seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (process_->poll_exit()) return true;
    pump(until(deadline, std::chrono::milliseconds(250)));
  }
  return process_->poll_exit().has_value();
}

double QemuGuest::uptime() {
  const CommandResult r = check("cat /proc/uptime");
  try {
    return std::stod(r.output);
  } catch (const std::exception&) {
    throw sdk::Error(to_string(options_.mode) + " guest: /proc/uptime reads \"" + r.output + "\"");
  }
}

}  // namespace berth::vm
