// The system's trust store, as ca-certificates' postinst (update-ca-certificates) would
// make it: the bootstrap tools only extract packages and run no maintainer script, which
// left /etc/ssl/certs empty and nothing on the system trusting the usual CAs.
#pragma once

#include <cstddef>
#include <filesystem>

namespace berth::bootstrap {

namespace fs = std::filesystem;

// When usr/share/ca-certificates holds certificates (ca-certificates is installed):
// etc/ca-certificates.conf naming each (all trusted, the postinst's default), a link
// etc/ssl/certs/NAME.pem -> /usr/share/ca-certificates/DIR/NAME.crt for each, and the
// bundle etc/ssl/certs/ca-certificates.crt holding them all, in name order, as
// update-ca-certificates writes it. The bundle is what Go programs (dockerd, containerd)
// and OpenSSL (its default file, usr/lib/ssl/cert.pem, links to it) read; the hashed
// links of `openssl rehash` are not made, which would need the build host's openssl.
// Files that are not PEM certificates are left out. Returns the number of certificates.
std::size_t make_trust_store(const fs::path& rootfs);

}  // namespace berth::bootstrap
