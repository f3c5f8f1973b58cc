// A minimal HTTP/1.1 client for servers the tests run on the host's loopback (chromedriver):
// one request per connection, no TLS, no redirects.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::vm {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Sends `method path` with `body` (as application/json when not empty) to 127.0.0.1:port and
// reads the whole response before `timeout` runs out. Throws sdk::Error naming the request on
// a refused connection, a timeout or a reply that is not HTTP.
HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view path,
                          std::string_view body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The response in `raw`: nothing while it is incomplete (more may come; with `at_eof` the
// server has closed and a body without a length ends there). The body is sized by
// Content-Length or chunked encoding. Throws sdk::Error on a reply that is not HTTP.
std::optional<HttpResponse> parse_http_response(std::string_view raw, bool at_eof);

}  // namespace berth::vm
