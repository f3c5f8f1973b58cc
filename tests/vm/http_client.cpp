#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "child_process.hpp"

namespace berth::vm {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of header `name` (lower case) in `head` (the lines after the status line).
std::optional<std::string> header(std::string_view head, std::string_view name) {
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = head.size();
    const std::string_view line = head.substr(pos, eol - pos);
    pos = eol + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || lower(line.substr(0, colon)) != name) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return std::string(value);
  }
  return std::nullopt;
}

// A chunked body: the decoded bytes, or nothing until the last (empty) chunk has arrived.
std::optional<std::string> dechunk(std::string_view raw) {
  std::string body;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t eol = raw.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    const std::string size_text(raw.substr(pos, eol - pos));
    std::size_t size = 0;
    try {
      size = std::stoul(size_text, nullptr, 16);
    } catch (const std::exception&) {
      throw sdk::Error("HTTP response: bad chunk size '" + size_text + "'");
    }
    pos = eol + 2;
    if (size == 0) return body;  // trailers, if any, are not needed
    if (raw.size() < pos + size + 2) return std::nullopt;
    body.append(raw.substr(pos, size));
    pos += size + 2;
  }
}

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

std::optional<HttpResponse> parse_http_response(std::string_view raw, bool at_eof) {
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (at_eof) {
      throw sdk::Error("HTTP response ended before its headers: '" +
                       std::string(raw.substr(0, 80)) + "'");
    }
    return std::nullopt;
  }
  const std::string_view status_line = raw.substr(0, raw.find("\r\n"));
  HttpResponse response;
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 ||
      !std::isdigit(static_cast<unsigned char>(status_line[9]))) {
    throw sdk::Error("not an HTTP response: '" + std::string(status_line.substr(0, 80)) + "'");
  }
  response.status = std::stoi(std::string(status_line.substr(9, 3)));
  const std::string_view head =
      raw.substr(status_line.size() + 2, head_end + 2 - (status_line.size() + 2));
  const std::string_view rest = raw.substr(head_end + 4);

  if (const auto encoding = header(head, "transfer-encoding");
      encoding && lower(*encoding).find("chunked") != std::string::npos) {
    auto body = dechunk(rest);
    if (!body) {
      if (at_eof) throw sdk::Error("HTTP response: chunked body cut short");
      return std::nullopt;
    }
    response.body = std::move(*body);
    return response;
  }
  if (const auto length = header(head, "content-length")) {
    std::size_t size = 0;
    try {
      size = std::stoul(*length);
    } catch (const std::exception&) {
      throw sdk::Error("HTTP response: bad Content-Length '" + *length + "'");
    }
    if (rest.size() < size) {
      if (at_eof) {
        throw sdk::Error("HTTP response: body of " + std::to_string(rest.size()) + " bytes, " +
                         *length + " announced");
      }
      return std::nullopt;
    }
    response.body = std::string(rest.substr(0, size));
    return response;
  }
  if (!at_eof) return std::nullopt;  // no length: the body ends where the connection does
  response.body = std::string(rest);
  return response;
}

HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view path,
                          std::string_view body, std::chrono::milliseconds timeout) {
  const std::string what =
      std::string(method) + " http://127.0.0.1:" + std::to_string(port) + std::string(path);
  const auto deadline = Clock::now() + timeout;
  const auto left_ms = [&] {
    return static_cast<int>(std::max<long long>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  };

  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw sdk::Error(what + ": cannot create a socket: " + errno_text());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Loopback: a connect answers at once, accepted or refused.
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw sdk::Error(what + ": " + errno_text());
  }

  std::string request = std::string(method) + " " + std::string(path) +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\nAccept: application/json\r\n";
  if (!body.empty()) request += "Content-Type: application/json; charset=utf-8\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  request += body;
  std::string_view unsent = request;
  while (!unsent.empty()) {
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, left_ms()) <= 0) throw sdk::Error(what + ": timed out sending the request");
    const ssize_t n = ::send(fd.get(), unsent.data(), unsent.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw sdk::Error(what + ": send: " + errno_text());
    }
    unsent.remove_prefix(static_cast<std::size_t>(n));
  }

  std::string raw;
  for (;;) {
    pollfd p{fd.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, left_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      throw sdk::Error(what + ": no complete response within " +
                       std::to_string(timeout.count() / 1000) + " s (got " +
                       std::to_string(raw.size()) + " bytes)");
    }
    char buffer[64 * 1024];
    const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw sdk::Error(what + ": recv: " + errno_text());
    }
    raw.append(buffer, static_cast<std::size_t>(n));
    try {
      if (auto response = parse_http_response(raw, n == 0)) return std::move(*response);
    } catch (const sdk::Error& e) {
      throw sdk::Error(what + ": " + e.what());
    }
  }
}

}  // namespace berth::vm
