// Pictures of what a user sees (a browser screenshot, qemu's screendump, an X server's root
// window) as plain RGB, and the questions the GUI tests ask of them: how many pixels have
// about this colour, and where are they.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::vm {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

// 8 bits per channel, rows top to bottom, no padding.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width * height * 3

  Rgb at(int x, int y) const;
  std::size_t pixels() const { return static_cast<std::size_t>(width) * height; }
};

// An image of `width` x `height` filled with `colour`.
Image solid_image(int width, int height, Rgb colour);

// PNG of any colour type and depth, reduced to 8-bit RGB (alpha composed onto black).
// Throws sdk::Error with libpng's reason.
Image decode_png(std::string_view bytes);
std::string encode_png(const Image& image);

// Binary PPM (P6, maxval up to 255), as qemu's monitor command `screendump` writes it.
Image decode_ppm(std::string_view bytes);

// Whether every channel of `a` is within `tolerance` of `b`'s.
bool near(Rgb a, Rgb b, int tolerance);

// How many pixels are near `colour`.
std::size_t count_near(const Image& image, Rgb colour, int tolerance);

// The smallest rectangle holding every pixel near `colour` (right and bottom exclusive);
// nothing when there is none.
struct Box {
  int left = 0, top = 0, right = 0, bottom = 0;
  int width() const { return right - left; }
  int height() const { return bottom - top; }
  bool operator==(const Box&) const = default;
};
std::optional<Box> bounding_box(const Image& image, Rgb colour, int tolerance);

}  // namespace berth::vm
