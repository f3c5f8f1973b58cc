#include "xwd_image.hpp"

#include <berth/sdk/error.hpp>
#include <bit>
#include <cstdint>
#include <string>

namespace berth::vm {
namespace {

// The header's fields, in file order.
enum Field {
  kHeaderSize,
  kFileVersion,
  kPixmapFormat,
  kPixmapDepth,
  kPixmapWidth,
  kPixmapHeight,
  kXOffset,
  kByteOrder,
  kBitmapUnit,
  kBitmapBitOrder,
  kBitmapPad,
  kBitsPerPixel,
  kBytesPerLine,
  kVisualClass,
  kRedMask,
  kGreenMask,
  kBlueMask,
  kBitsPerRgb,
  kColormapEntries,
  kNColors,
  kFieldCount = 25,  // window width, height, x, y and border width follow; unused here
};

constexpr std::uint32_t kZPixmap = 2;
constexpr std::uint32_t kTrueColor = 4;
constexpr std::uint32_t kDirectColor = 5;
constexpr std::uint32_t kLsbFirst = 0;

std::uint32_t big_endian32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<std::uint8_t>(bytes[at + i]);
  return value;
}

[[noreturn]] void bad(const std::string& what) {
  throw sdk::Error("XWD: " + what);
}

// One channel of a pixel value, scaled to 8 bits.
std::uint8_t channel(std::uint32_t pixel, std::uint32_t mask) {
  const int shift = std::countr_zero(mask);
  const int bits = std::popcount(mask);
  const std::uint32_t max = bits >= 32 ? 0xffffffffu : (1u << bits) - 1;
  return static_cast<std::uint8_t>(static_cast<std::uint64_t>((pixel & mask) >> shift) * 255 / max);
}

}  // namespace

Image decode_xwd(std::string_view bytes) {
  if (bytes.size() < kFieldCount * 4) {
    bad("only " + std::to_string(bytes.size()) + " bytes, shorter than a header");
  }
  std::uint32_t h[kFieldCount];
  for (int i = 0; i < kFieldCount; ++i) h[i] = big_endian32(bytes, static_cast<std::size_t>(i) * 4);

  if (h[kFileVersion] != 7) bad("file_version " + std::to_string(h[kFileVersion]) + ", not 7");
  if (h[kHeaderSize] < kFieldCount * 4 || h[kHeaderSize] > bytes.size()) {
    bad("header_size " + std::to_string(h[kHeaderSize]) + " does not fit the file");
  }
  if (h[kPixmapFormat] != kZPixmap) {
    bad("pixmap_format " + std::to_string(h[kPixmapFormat]) + ", only ZPixmap (2) is read");
  }
  if (h[kVisualClass] != kTrueColor && h[kVisualClass] != kDirectColor) {
    bad("visual_class " + std::to_string(h[kVisualClass]) + ", only TrueColor or DirectColor");
  }
  const std::uint32_t bpp = h[kBitsPerPixel];
  if (bpp != 16 && bpp != 24 && bpp != 32) bad("bits_per_pixel " + std::to_string(bpp));
  if (h[kRedMask] == 0 || h[kGreenMask] == 0 || h[kBlueMask] == 0) bad("a colour mask is 0");
  const std::uint32_t width = h[kPixmapWidth];
  const std::uint32_t height = h[kPixmapHeight];
  if (width == 0 || height == 0 || width > 16384 || height > 16384) {
    bad("unlikely size " + std::to_string(width) + "x" + std::to_string(height));
  }
  const std::uint32_t bytes_per_pixel = bpp / 8;
  const std::size_t stride = h[kBytesPerLine];
  if (stride < static_cast<std::size_t>(width) * bytes_per_pixel) {
    bad("bytes_per_line " + std::to_string(stride) + " is less than a row");
  }
  const std::size_t pixels_at = h[kHeaderSize] + static_cast<std::size_t>(h[kNColors]) * 12;
  if (pixels_at > bytes.size() || (bytes.size() - pixels_at) / stride < height) {
    bad("the file ends before its " + std::to_string(height) + " rows");
  }

  Image image{static_cast<int>(width), static_cast<int>(height), {}};
  image.rgb.reserve(image.pixels() * 3);
  const bool lsb_first = h[kByteOrder] == kLsbFirst;
  for (std::uint32_t y = 0; y < height; ++y) {
    const std::string_view row = bytes.substr(pixels_at + y * stride, stride);
    for (std::uint32_t x = 0; x < width; ++x) {
      std::uint32_t pixel = 0;
      for (std::uint32_t i = 0; i < bytes_per_pixel; ++i) {
        const auto byte = static_cast<std::uint8_t>(row[x * bytes_per_pixel + i]);
        pixel =
            lsb_first ? pixel | (static_cast<std::uint32_t>(byte) << (8 * i)) : (pixel << 8) | byte;
      }
      image.rgb.insert(image.rgb.end(), {channel(pixel, h[kRedMask]), channel(pixel, h[kGreenMask]),
                                         channel(pixel, h[kBlueMask])});
    }
  }
  return image;
}

}  // namespace berth::vm
