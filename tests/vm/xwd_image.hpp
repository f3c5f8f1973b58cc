// X Window Dump files (what `xwd -root` writes): a picture of an X server's screen taken
// inside the guest, read on the host.
#pragma once

#include <string_view>

#include "pixels.hpp"

namespace berth::vm {

// A ZPixmap dump of a TrueColor or DirectColor screen at 16, 24 or 32 bits per pixel (every
// X server Berth runs). The header is big-endian CARD32s, header_size first; the window name
// and ncolors 12-byte colour entries follow, then the rows in the file's byte order. Throws
// sdk::Error naming the header field that does not fit.
Image decode_xwd(std::string_view bytes);

}  // namespace berth::vm
