// Unit tests of the GUI tests' host tools: base64, the HTTP client (against a server in the
// test), pictures (PNG, PPM, XWD made here) and the questions asked of them, and chromium
// driven through chromedriver on a page of known colours.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <png.h>
#include <sys/socket.h>
#include <unistd.h>

#include <berth/sdk/error.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <cstdlib>
#include <thread>

#include "base64.hpp"
#include "child_process.hpp"
#include "http_client.hpp"
#include "pixels.hpp"
#include "web_driver.hpp"
#include "xwd_image.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
using namespace std::string_literals;

constexpr Rgb kMagenta{0xff, 0x00, 0xff};
constexpr Rgb kGrey{0x80, 0x80, 0x80};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const sdk::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// --- base64 ----------------------------------------------------------------------------------

TEST(Base64, DecodesPaddedAndWrappedText) {
  EXPECT_EQ(base64_decode("TWFu"), "Man");
  EXPECT_EQ(base64_decode("TWE="), "Ma");
  EXPECT_EQ(base64_decode("TQ=="), "M");
  EXPECT_EQ(base64_decode(""), "");
  // busybox base64 wraps at 76 columns; all 256 byte values survive.
  EXPECT_EQ(base64_decode("AP8Q\nf4A=\n"), std::string("\x00\xff\x10\x7f\x80", 5));
  EXPECT_EQ(base64_decode("+/+/"), "\xfb\xff\xbf");
}

TEST(Base64, RejectsWhatIsNotBase64) {
  EXPECT_NE(error_of([] { base64_decode("TW!u"); }).find("'!' at offset 2"), std::string::npos);
  EXPECT_NE(error_of([] { base64_decode("TWF"); }).find("ends inside a group"), std::string::npos);
  EXPECT_THROW(base64_decode("TQ==TQ=="), sdk::Error);  // data after the padding
  EXPECT_THROW(base64_decode("T==="), sdk::Error);
}

// --- HTTP ------------------------------------------------------------------------------------

TEST(HttpResponse, BodyByLengthChunksOrTheEnd) {
  const auto sized =
      parse_http_response("HTTP/1.1 404 Not Found\r\nContent-length: 5\r\n\r\nhello", false);
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->status, 404);
  EXPECT_EQ(sized->body, "hello");
  // Incomplete: more is coming.
  EXPECT_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", false));
  EXPECT_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nContent-Le", false));
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nB\r\n, chunked!!\r\n";
  EXPECT_FALSE(parse_http_response(chunked, false));
  const auto whole = parse_http_response(chunked + "0\r\n\r\n", false);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->body, "hello, chunked!!");
  // No length: the body is what came before the server closed.
  EXPECT_FALSE(parse_http_response("HTTP/1.0 200 OK\r\n\r\npartial", false));
  EXPECT_EQ(parse_http_response("HTTP/1.0 200 OK\r\n\r\nall of it", true)->body, "all of it");
}

TEST(HttpResponse, RejectsWhatIsNotHttp) {
  EXPECT_NE(error_of([] {
              parse_http_response("SSH-2.0-OpenSSH\r\n\r\n", false);
            }).find("not an HTTP response: 'SSH-2.0-OpenSSH'"),
            std::string::npos);
  EXPECT_THROW(parse_http_response("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi", true),
               sdk::Error);
  EXPECT_THROW(parse_http_response("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\nhi", false),
               sdk::Error);
  EXPECT_THROW(parse_http_response("HTTP/1.1 200 OK\r\nCont", true), sdk::Error);
}

// A server on 127.0.0.1 that reads one request and answers `reply` (split in two sends), in
// a thread; request() is what it read.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    listener_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_.get(), 1) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw sdk::Error("test server: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() { thread_.join(); }

  std::uint16_t port() const { return port_; }
  const std::string& request() const { return request_; }

 private:
  void serve() {
    UniqueFd client(::accept(listener_.get(), nullptr, nullptr));
    if (client.get() < 0) return;
    char buffer[4096];
    // Until the end of the headers and the 2-byte body every test sends.
    while (request_.find("\r\n\r\n") == std::string::npos ||
           request_.size() < request_.find("\r\n\r\n") + 4 + body_size()) {
      const ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request_.append(buffer, static_cast<std::size_t>(n));
    }
    const std::size_t half = reply_.size() / 2;
    ::send(client.get(), reply_.data(), half, MSG_NOSIGNAL);
    std::this_thread::sleep_for(50ms);
    ::send(client.get(), reply_.data() + half, reply_.size() - half, MSG_NOSIGNAL);
    std::this_thread::sleep_for(50ms);
  }
  std::size_t body_size() const {
    return request_.find("Content-Length: 2\r\n") != std::string::npos ? 2 : 0;
  }

  std::string reply_;
  UniqueFd listener_;
  std::uint16_t port_ = 0;
  std::string request_;
  std::thread thread_;
};

TEST(HttpClient, SendsTheRequestAndReadsASplitReply) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"value\":42}\n");
  const HttpResponse response = http_request(server.port(), "POST", "/session/abc/url", "{}", 10s);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{\"value\":42}\n");
  const std::string& request = server.request();
  EXPECT_TRUE(request.starts_with("POST /session/abc/url HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("Content-Type: application/json"), std::string::npos) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n{}")) << request;
}

TEST(HttpClient, ARefusedConnectionNamesTheAddress) {
  std::uint16_t port = 0;
  {
    OneShotServer closed("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    port = closed.port();
    http_request(port, "GET", "/status", "{}", 10s);  // then it closes for good
  }
  EXPECT_NE(error_of([&] {
              http_request(port, "GET", "/status");
            }).find("GET http://127.0.0.1:" + std::to_string(port) + "/status: "),
            std::string::npos);
}

// --- pictures --------------------------------------------------------------------------------

void paint(Image& image, int left, int top, int width, int height, Rgb colour) {
  for (int y = top; y < top + height; ++y) {
    for (int x = left; x < left + width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * image.width + x) * 3;
      image.rgb[i] = colour.r;
      image.rgb[i + 1] = colour.g;
      image.rgb[i + 2] = colour.b;
    }
  }
}

TEST(Pixels, CountsAndLocatesAColourWithinATolerance) {
  Image image = solid_image(10, 8, kGrey);
  paint(image, 4, 5, 3, 2, kMagenta);
  paint(image, 1, 1, 1, 1, {0xe8, 0x18, 0xe8});  // 23 off in every channel: still magenta
  paint(image, 9, 0, 1, 1, {0xe6, 0x00, 0xff});  // 25 off in red: not
  EXPECT_EQ(count_near(image, kMagenta, 24), 7u);
  EXPECT_EQ(count_near(image, kMagenta, 0), 6u);
  EXPECT_EQ(count_near(image, kMagenta, 25), 8u);
  EXPECT_EQ(count_near(image, kGrey, 0), 80u - 8u);
  EXPECT_EQ(bounding_box(image, kMagenta, 0), (Box{4, 5, 7, 7}));
  EXPECT_EQ(bounding_box(image, kMagenta, 24), (Box{1, 1, 7, 7}));
  EXPECT_EQ(bounding_box(image, {0, 0xff, 0}, 24), std::nullopt);
}

TEST(Pixels, PngRoundTripsAndRejectsGarbage) {
  Image image = solid_image(5, 3, {0x2e, 0x4a, 0x62});
  paint(image, 0, 0, 1, 1, kMagenta);
  paint(image, 4, 2, 1, 1, {1, 2, 3});
  const std::string png = encode_png(image);
  EXPECT_TRUE(png.starts_with("\x89PNG\r\n\x1a\n"));
  const Image back = decode_png(png);
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.rgb, image.rgb);
  EXPECT_NE(error_of([] { decode_png("GIF89a not a png"); }).find("PNG: "), std::string::npos);
  EXPECT_THROW(decode_png(png.substr(0, png.size() / 2)), sdk::Error);
}

TEST(Pixels, PngWithAlphaIsComposedOntoBlack) {
  // Two RGBA pixels: opaque magenta, fully transparent white.
  const unsigned char rgba[] = {0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = 2;
  png.height = 1;
  png.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  ASSERT_NE(png_image_write_get_memory_size(png, size, 0, rgba, 0, nullptr), 0);
  std::string bytes(size, '\0');
  ASSERT_NE(png_image_write_to_memory(&png, bytes.data(), &size, 0, rgba, 0, nullptr), 0);
  bytes.resize(size);
  const Image image = decode_png(bytes);
  EXPECT_EQ(image.at(0, 0), kMagenta);
  EXPECT_EQ(image.at(1, 0), (Rgb{0, 0, 0}));
}

TEST(Pixels, PpmAsQemuWritesIt) {
  const std::string ppm = "P6\n# screendump\n2 1\n255\n\xff\x00\xff\x2e\x4a\x62"s;
  const Image image = decode_ppm(ppm);
  EXPECT_EQ(image.width, 2);
  EXPECT_EQ(image.height, 1);
  EXPECT_EQ(image.at(0, 0), kMagenta);
  EXPECT_EQ(image.at(1, 0), (Rgb{0x2e, 0x4a, 0x62}));
  // A smaller maxval is scaled to 8 bits.
  EXPECT_EQ(decode_ppm("P6 1 1 15\n\x0f\x00\x05"s).at(0, 0), (Rgb{255, 0, 85}));
  EXPECT_NE(error_of([] { decode_ppm("P3\n1 1\n255\n0 0 0\n"); }).find("not a binary PPM"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] { decode_ppm(ppm.substr(0, ppm.size() - 1)); }).find("5 bytes of pixels, 6"),
      std::string::npos);
  EXPECT_THROW(decode_ppm("P6\n2 x\n255\n"), sdk::Error);
}

// An XWD file as xwd writes one: big-endian header, window name, colour entries, then rows of
// `bytes_per_pixel` in `lsb_first` order, padded to `stride`.
std::string xwd_file(int width, int height, int bpp, bool lsb_first, std::uint32_t red,
                     std::uint32_t green, std::uint32_t blue, int stride,
                     const std::vector<std::uint32_t>& pixels, std::uint32_t ncolors = 2) {
  const std::string name = "xwdump";
  const std::uint32_t header_size = 100 + static_cast<std::uint32_t>(name.size()) + 1;
  const std::uint32_t fields[25] = {header_size,
                                    7,
                                    2,
                                    24,
                                    static_cast<std::uint32_t>(width),
                                    static_cast<std::uint32_t>(height),
                                    0,
                                    lsb_first ? 0u : 1u,
                                    32,
                                    lsb_first ? 0u : 1u,
                                    32,
                                    static_cast<std::uint32_t>(bpp),
                                    static_cast<std::uint32_t>(stride),
                                    4,
                                    red,
                                    green,
                                    blue,
                                    8,
                                    256,
                                    ncolors,
                                    static_cast<std::uint32_t>(width),
                                    static_cast<std::uint32_t>(height),
                                    0,
                                    0,
                                    0};
  std::string out;
  for (const std::uint32_t f : fields) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((f >> shift) & 0xff);
  }
  out += name;
  out += '\0';
  out += std::string(ncolors * 12, '\x55');  // colour entries: unused for TrueColor
  const int bytes_per_pixel = bpp / 8;
  for (int y = 0; y < height; ++y) {
    std::string row;
    for (int x = 0; x < width; ++x) {
      const std::uint32_t p = pixels[static_cast<std::size_t>(y) * width + x];
      for (int i = 0; i < bytes_per_pixel; ++i) {
        const int shift = lsb_first ? 8 * i : 8 * (bytes_per_pixel - 1 - i);
        row += static_cast<char>((p >> shift) & 0xff);
      }
    }
    row.resize(static_cast<std::size_t>(stride), '\0');
    out += row;
  }
  return out;
}

TEST(Xwd, ReadsA32BitLsbFirstDump) {
  // Xephyr's 24-bit TrueColor at 32 bits per pixel, written on x86 (LSBFirst).
  const std::string file = xwd_file(3, 2, 32, true, 0xff0000, 0x00ff00, 0x0000ff, 12,
                                    {0xff00ff, 0x2e4a62, 0x000000, 0xffffff, 0x010203, 0xff00ff});
  const Image image = decode_xwd(file);
  EXPECT_EQ(image.width, 3);
  EXPECT_EQ(image.height, 2);
  EXPECT_EQ(image.at(0, 0), kMagenta);
  EXPECT_EQ(image.at(1, 0), (Rgb{0x2e, 0x4a, 0x62}));
  EXPECT_EQ(image.at(0, 1), (Rgb{0xff, 0xff, 0xff}));
  EXPECT_EQ(image.at(1, 1), (Rgb{1, 2, 3}));
  EXPECT_EQ(count_near(image, kMagenta, 0), 2u);
}

TEST(Xwd, ReadsA16BitMsbFirstDumpWithPaddedRows) {
  // RGB 565: magenta is f81f; rows padded to 8 bytes.
  const std::string file =
      xwd_file(2, 2, 16, false, 0xf800, 0x07e0, 0x001f, 8, {0xf81f, 0x0000, 0x07e0, 0xffff});
  const Image image = decode_xwd(file);
  EXPECT_EQ(image.at(0, 0), kMagenta);
  EXPECT_EQ(image.at(1, 0), (Rgb{0, 0, 0}));
  EXPECT_EQ(image.at(0, 1), (Rgb{0, 0xff, 0}));
  EXPECT_EQ(image.at(1, 1), (Rgb{0xff, 0xff, 0xff}));
}

TEST(Xwd, NamesWhatDoesNotFit) {
  const std::string good = xwd_file(2, 2, 32, true, 0xff0000, 0xff00, 0xff, 8, {1, 2, 3, 4});
  EXPECT_NE(error_of([&] {
              decode_xwd(good.substr(0, good.size() - 1));
            }).find("XWD: the file ends before its 2 rows"),
            std::string::npos);
  EXPECT_NE(error_of([&] { decode_xwd(good.substr(0, 40)); }).find("shorter than a header"),
            std::string::npos);
  std::string v6 = good;
  v6[7] = 6;  // file_version
  EXPECT_NE(error_of([&] { decode_xwd(v6); }).find("file_version 6"), std::string::npos);
  const std::string narrow = xwd_file(2, 2, 32, true, 0xff0000, 0xff00, 0xff, 4, {1, 2, 3, 4});
  EXPECT_NE(error_of([&] { decode_xwd(narrow); }).find("bytes_per_line 4"), std::string::npos);
  const std::string bits8 = xwd_file(2, 1, 8, true, 0xe0, 0x1c, 0x03, 4, {1, 2});
  EXPECT_NE(error_of([&] { decode_xwd(bits8); }).find("bits_per_pixel 8"), std::string::npos);
}

// --- the browser -----------------------------------------------------------------------------

TEST(WebDriver, AMissingDriverIsNamedWithItsPackage) {
  TempDir empty("berth-no-browser-");
  const char* old = std::getenv("PATH");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("PATH", empty.path().c_str(), 1);
  const std::string missing = missing_browser();
  const std::string error = error_of([&] { WebDriver browser(empty.path() / "driver.log"); });
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_NE(missing.find("chromedriver"), std::string::npos) << missing;
  EXPECT_NE(missing.find("chromium-driver"), std::string::npos) << missing;
  EXPECT_EQ(error, missing);
}

TEST(WebDriver, AScreenshotShowsThePageItWasSent) {
  TempDir dir("berth-browser-");
  WebDriver browser(dir.path() / "chromedriver.log");
  // A magenta block of 200x100 CSS pixels at (40, 30) on white.
  browser.navigate(
      "data:text/html,<body style='margin:0;background:%23ffffff'>"
      "<div style='position:absolute;left:40px;top:30px;width:200px;height:100px;"
      "background:%23ff00ff'></div></body>");
  const Image shot = decode_png(browser.screenshot_png());
  EXPECT_EQ(shot.width, 1280);
  EXPECT_EQ(bounding_box(shot, kMagenta, 24), (Box{40, 30, 240, 130}));
  EXPECT_EQ(count_near(shot, kMagenta, 24), 200u * 100u);
  // A second navigation replaces the page.
  browser.navigate("data:text/html,<body style='background:%23ffffff'></body>");
  EXPECT_EQ(count_near(decode_png(browser.screenshot_png()), kMagenta, 24), 0u);
}

}  // namespace
}  // namespace berth::vm
