#include "web_driver.hpp"

#include <unistd.h>

#include <berth/sdk/error.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base64.hpp"
#include "http_client.hpp"
#include "local_port.hpp"

namespace berth::vm {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

// One WebDriver command; the reply's "value", or sdk::Error with the driver's error and the
// first line of its message.
json command(std::uint16_t port, std::string_view method, const std::string& path, const json& body,
             std::chrono::seconds timeout) {
  const std::string what = "webdriver " + std::string(method) + " " + path;
  const HttpResponse response =
      http_request(port, method, path, body.is_null() ? std::string() : body.dump(), timeout);
  json reply;
  try {
    reply = json::parse(response.body);
  } catch (const json::parse_error&) {
    throw sdk::Error(what + ": HTTP " + std::to_string(response.status) +
                     " with a reply that is not JSON: " + response.body.substr(0, 200));
  }
  const json value = reply.contains("value") ? reply["value"] : json();
  if (response.status != 200 || (value.is_object() && value.contains("error"))) {
    std::string message = value.is_object() ? value.value("message", std::string()) : "";
    message = message.substr(0, message.find('\n'));
    throw sdk::Error(what + ": HTTP " + std::to_string(response.status) + ": " +
                     (value.is_object() ? value.value("error", std::string("error")) : "error") +
                     ": " + message);
  }
  return value;
}

// Polls GET /status until the driver says it is ready; fails at once when it exits.
void wait_ready(ChildProcess& driver, std::uint16_t port, const std::filesystem::path& log,
                std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto status = driver.poll_exit()) {
      throw sdk::Error("chromedriver exited with status " + std::to_string(*status) +
                       " before it was ready on port " + std::to_string(port) +
                       " (log: " + log.string() + ")");
    }
    try {
      if (command(port, "GET", "/status", json(), 5s).value("ready", false)) return;
    } catch (const sdk::Error&) {
      // Not listening yet.
    }
    if (Clock::now() >= deadline) {
      throw sdk::Error("chromedriver was not ready on port " + std::to_string(port) + " within " +
                       std::to_string(timeout.count()) + " s (log: " + log.string() + ")");
    }
    std::this_thread::sleep_for(100ms);
  }
}

}  // namespace

std::string missing_browser() {
  if (!on_path("chromedriver")) {
    return "chromedriver is not on PATH: install Debian's chromium-driver (tools/host-deps.sh "
           "test)";
  }
  if (!on_path("chromium")) {
    return "chromium is not on PATH: install Debian's chromium (tools/host-deps.sh test)";
  }
  return {};
}

WebDriver::WebDriver(const std::filesystem::path& log_file) : log_file_(log_file) {
  if (const std::string missing = missing_browser(); !missing.empty()) throw sdk::Error(missing);
  if (log_file_.has_parent_path()) std::filesystem::create_directories(log_file_.parent_path());
  port_ = free_local_port();
  // The driver's log (warnings and errors: at INFO it would hold every screenshot) to
  // log_file; the browser writes to the driver's stderr, which goes beside it.
  std::filesystem::path browser_log = log_file_;
  browser_log.replace_extension(".stderr");
  driver_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"chromedriver", "--port=" + std::to_string(port_),
                               "--log-path=" + log_file_.string(), "--log-level=WARNING"},
      browser_log);
  wait_ready(*driver_, port_, log_file_, 30s);

  const json capabilities = {
      {"goog:chromeOptions",
       {{"args", json::array({"--headless=new", "--no-sandbox", "--disable-gpu",
                              "--window-size=1280,800"})}}},
      // A page that never finishes loading fails navigate() before its HTTP request does.
      {"timeouts", {{"pageLoad", 120000}}},
  };
  const json session =
      command(port_, "POST", "/session", {{"capabilities", {{"alwaysMatch", capabilities}}}}, 90s);
  session_ = session.value("sessionId", std::string());
  if (session_.empty()) {
    throw sdk::Error("chromedriver answered POST /session without a sessionId: " +
                     session.dump().substr(0, 200));
  }
}

WebDriver::~WebDriver() {
  if (session_.empty()) return;
  try {
    // Ends the browser; the driver itself ends with driver_.
    command(port_, "DELETE", "/session/" + session_, json(), 30s);
  } catch (const sdk::Error&) {
    // The driver is killed next; nothing else to do.
  }
}

void WebDriver::navigate(const std::string& url) {
  command(port_, "POST", "/session/" + session_ + "/url", {{"url", url}}, 150s);
}

std::string WebDriver::screenshot_png() {
  const json value = command(port_, "GET", "/session/" + session_ + "/screenshot", json(), 60s);
  if (!value.is_string()) {
    throw sdk::Error("webdriver screenshot: the reply's value is not a string: " +
                     value.dump().substr(0, 200));
  }
  return base64_decode(value.get<std::string>());
}

}  // namespace berth::vm
