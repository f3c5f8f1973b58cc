#!/bin/sh
# busybox's wget of an https:// URL on the test build's own programs: wget runs `openssl
# s_client`, which on Berth is the multicall engine's (Go's crypto/tls with the system's
# CAs). A server whose CA is trusted (SSL_CERT_FILE stands for the system's bundle) is read,
# by name and by address; one whose CA is not is refused. The server is the host's OpenSSL
# s_server on the loopback (the VM tests' guests have a restricted network).
#
#   engine-wget-https.sh ROOTFS      (the test ISO build's work-test/rootfs)
#
# Exit 77 (skipped) without the test build's rootfs or the host's openssl.
set -eu

dir=${1:?usage: engine-wget-https.sh ROOTFS}
if [ ! -d "$dir" ]; then
  echo "no test build rootfs at $dir (make test-iso)" >&2
  exit 77
fi
root=$(cd "$dir" && pwd)
busybox=$root/usr/bin/busybox
engine=$root/usr/bin/openssl
if [ ! -x "$busybox" ] || [ ! -x "$engine" ] || ! command -v openssl >/dev/null; then
  echo "no test build rootfs at $root (make test-iso), or no openssl on the host" >&2
  exit 77
fi

scratch=$(mktemp -d)
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT
cd "$scratch"

ca() { # NAME: a CA's key and certificate
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -out "$1.pem" -days 2 -subj "/CN=$1" 2>/dev/null
}
ca trusted
ca stranger
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key \
  -out server.csr -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
openssl x509 -req -in server.csr -CA trusted.pem -CAkey trusted.key -CAcreateserial \
  -days 2 -extfile server.ext -out server.pem 2>/dev/null

# A port the host is not using: a few tries from a pid-derived start.
port=$((20000 + $$ % 20000))
tries=0
while :; do
  openssl s_server -quiet -www -accept "$port" -cert server.pem -key server.key \
    </dev/null >s_server.log 2>&1 &
  server=$!
  sleep 1
  if kill -0 "$server" 2>/dev/null; then break; fi
  tries=$((tries + 1))
  [ "$tries" -lt 5 ] || { echo "s_server would not start: $(cat s_server.log)" >&2; exit 1; }
  port=$((port + 1))
done

# The engine under the name wget runs.
mkdir bin
ln -s "$engine" bin/openssl

fetch() { # CA URL: wget's output with that CA as the system's
  PATH="$scratch/bin:/usr/bin:/bin" SSL_CERT_FILE="$scratch/$1.pem" \
    "$busybox" wget -q -T 20 -O - "$2" 2>&1
}

status=0
for url in "https://localhost:$port/" "https://127.0.0.1:$port/"; do
  if page=$(fetch trusted "$url") && printf '%s' "$page" | grep -q '<HTML>'; then
    echo "ok: $url read with its CA trusted"
  else
    echo "FAIL: $url not read with its CA trusted: $page" >&2
    status=1
  fi
  if page=$(fetch stranger "$url"); then
    echo "FAIL: $url read although its CA is not trusted: $page" >&2
    status=1
  else
    echo "ok: $url refused without its CA"
  fi
done
exit "$status"
