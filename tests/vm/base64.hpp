// Base64 (RFC 4648, standard alphabet) decoding: WebDriver screenshots arrive this way, and
// files a guest prints with busybox `base64` (wrapped lines) too.
#pragma once

#include <string>
#include <string_view>

namespace berth::vm {

// The bytes `text` encodes; whitespace (line breaks) is skipped. Throws sdk::Error naming the
// first character that is not base64, or a length that is not a whole number of groups.
std::string base64_decode(std::string_view text);

}  // namespace berth::vm
