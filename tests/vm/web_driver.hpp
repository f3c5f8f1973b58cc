// A browser the tests drive like a person would: Debian's chromium under its chromedriver
// (package chromium-driver), spoken to over the W3C WebDriver protocol.
//   WebDriver browser(log_dir() / "x.chromedriver.log");   // driver + headless session
//   browser.navigate("http://127.0.0.1:8080/");
//   Image shot = decode_png(browser.screenshot_png());
// The destructor ends the session (and so the browser) and then the driver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "child_process.hpp"

namespace berth::vm {

// Why the browser cannot run on this host ("" when chromedriver and chromium are on PATH).
std::string missing_browser();

class WebDriver {
 public:
  // Starts `chromedriver --port=P` on a free 127.0.0.1 port (its log to `log_file`, the
  // browser's output to the same name with .stderr), waits until it is ready and opens a session:
  // headless chromium, no sandbox (the tests run as root), no GPU, a 1280x800 window. Throws
  // sdk::Error naming what is missing or what the driver said.
  explicit WebDriver(const std::filesystem::path& log_file);
  ~WebDriver();
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  // Loads `url` in the session's window; returns once the page has loaded.
  void navigate(const std::string& url);
  // The window's contents now, as PNG bytes.
  std::string screenshot_png();

  std::uint16_t port() const { return port_; }

 private:
  std::filesystem::path log_file_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> driver_;
  std::string session_;
};

}  // namespace berth::vm
