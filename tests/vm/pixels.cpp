#include "pixels.hpp"

#include <png.h>

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace berth::vm {
namespace {

// A png_image that libpng's simplified API filled in; frees what libpng kept on any exit.
class PngImage {
 public:
  PngImage() {
    std::memset(&image_, 0, sizeof image_);
    image_.version = PNG_IMAGE_VERSION;
  }
  ~PngImage() { png_image_free(&image_); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;

  png_image* get() { return &image_; }
  std::string reason() const { return image_.message; }

 private:
  png_image image_;
};

void check_size(int width, int height, const std::string& what) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
    throw sdk::Error(what + ": unlikely size " + std::to_string(width) + "x" +
                     std::to_string(height));
  }
}

// PPM header fields: whitespace and #-comments between decimal numbers.
int next_number(std::string_view bytes, std::size_t& pos) {
  for (;;) {
    while (pos < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[pos]))) ++pos;
    if (pos < bytes.size() && bytes[pos] == '#') {
      while (pos < bytes.size() && bytes[pos] != '\n') ++pos;
      continue;
    }
    break;
  }
  const std::size_t start = pos;
  long value = 0;
  while (pos < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[pos])) &&
         value < 1'000'000) {
    value = value * 10 + (bytes[pos++] - '0');
  }
  if (pos == start)
    throw sdk::Error("PPM: a number expected in the header at byte " + std::to_string(start));
  return static_cast<int>(value);
}

}  // namespace

Rgb Image::at(int x, int y) const {
  const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
  return {rgb[i], rgb[i + 1], rgb[i + 2]};
}

Image solid_image(int width, int height, Rgb colour) {
  Image image{width, height, {}};
  image.rgb.reserve(image.pixels() * 3);
  for (std::size_t i = 0; i < image.pixels(); ++i) {
    image.rgb.insert(image.rgb.end(), {colour.r, colour.g, colour.b});
  }
  return image;
}

Image decode_png(std::string_view bytes) {
  PngImage png;
  if (png_image_begin_read_from_memory(png.get(), bytes.data(), bytes.size()) == 0) {
    throw sdk::Error("PNG: " + png.reason());
  }
  png.get()->format = PNG_FORMAT_RGB;
  Image image{static_cast<int>(png.get()->width), static_cast<int>(png.get()->height), {}};
  check_size(image.width, image.height, "PNG");
  image.rgb.resize(PNG_IMAGE_SIZE(*png.get()));
  const png_color black{0, 0, 0};
  if (png_image_finish_read(png.get(), &black, image.rgb.data(), 0, nullptr) == 0) {
    throw sdk::Error("PNG: " + png.reason());
  }
  return image;
}

std::string encode_png(const Image& image) {
  check_size(image.width, image.height, "PNG");
  if (image.rgb.size() != image.pixels() * 3) throw sdk::Error("PNG: pixel data of wrong size");
  PngImage png;
  png.get()->width = static_cast<png_uint_32>(image.width);
  png.get()->height = static_cast<png_uint_32>(image.height);
  png.get()->format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (png_image_write_get_memory_size(*png.get(), size, 0, image.rgb.data(), 0, nullptr) == 0) {
    throw sdk::Error("PNG: " + png.reason());
  }
  std::string out(size, '\0');
  if (png_image_write_to_memory(png.get(), out.data(), &size, 0, image.rgb.data(), 0, nullptr) ==
      0) {
    throw sdk::Error("PNG: " + png.reason());
  }
  out.resize(size);
  return out;
}

Image decode_ppm(std::string_view bytes) {
  if (!bytes.starts_with("P6")) {
    throw sdk::Error("PPM: not a binary PPM (P6) image: it starts with '" +
                     std::string(bytes.substr(0, 2)) + "'");
  }
  std::size_t pos = 2;
  Image image;
  image.width = next_number(bytes, pos);
  image.height = next_number(bytes, pos);
  const int maxval = next_number(bytes, pos);
  check_size(image.width, image.height, "PPM");
  if (maxval < 1 || maxval > 255) {
    throw sdk::Error("PPM: maxval " + std::to_string(maxval) + " (only 1-255 supported)");
  }
  if (pos >= bytes.size() || !std::isspace(static_cast<unsigned char>(bytes[pos]))) {
    throw sdk::Error("PPM: no whitespace after the header");
  }
  ++pos;  // exactly one whitespace byte before the pixels
  if (bytes.size() - pos < image.pixels() * 3) {
    throw sdk::Error("PPM: " + std::to_string(bytes.size() - pos) + " bytes of pixels, " +
                     std::to_string(image.pixels() * 3) + " needed");
  }
  image.rgb.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                   bytes.begin() + static_cast<std::ptrdiff_t>(pos + image.pixels() * 3));
  if (maxval != 255) {
    for (auto& v : image.rgb) v = static_cast<std::uint8_t>(v * 255 / maxval);
  }
  return image;
}

bool near(Rgb a, Rgb b, int tolerance) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
         std::abs(a.b - b.b) <= tolerance;
}

std::size_t count_near(const Image& image, Rgb colour, int tolerance) {
  std::size_t count = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) count += near(image.at(x, y), colour, tolerance) ? 1 : 0;
  }
  return count;
}

std::optional<Box> bounding_box(const Image& image, Rgb colour, int tolerance) {
  std::optional<Box> box;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (!near(image.at(x, y), colour, tolerance)) continue;
      if (!box) {
        box = Box{x, y, x + 1, y + 1};
        continue;
      }
      box->left = std::min(box->left, x);
      box->right = std::max(box->right, x + 1);
      box->bottom = y + 1;  // rows are visited top to bottom
    }
  }
  return box;
}

}  // namespace berth::vm
