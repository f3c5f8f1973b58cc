#!/bin/sh
# Installs the Debian 12 host packages Berth needs to build and test, if any are missing.
#   tools/host-deps.sh [build|test]
set -eu

build_packages="build-essential cmake ninja-build pkg-config ccache
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libarchive-dev nlohmann-json3-dev libssl-dev
  libgtest-dev libgmock-dev
  debian-archive-keyring apt-utils dpkg-dev kmod
  multistrap mmdebstrap squashfs-tools xorriso mtools dosfstools cpio zstd xz-utils lz4
  bc bison flex libelf-dev patch"
# (bc, bison, flex, libelf-dev with libssl-dev above: what kernel-source needs to compile a
# kernel; patch applies the user's kernel patches.)
# The GUI VM tests: headless chromium under chromedriver looks at Xpra's HTML5 client, and
# libpng reads its screenshots.
test_packages="qemu-system-x86 qemu-utils ovmf shellcheck clang-format busybox-static e2fsprogs
  chromium chromium-driver libpng-dev openssl ca-certificates"

case "${1:-build}" in
  build) wanted=$build_packages ;;
  test) wanted="$build_packages $test_packages" ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac

# The VM tests' emulator on Debian 12: qemu 10.0 from bookworm-backports, whose TCG runs
# the guests faster than 7.2's (BENCHMARKS.md, "qemu 7.2 against 10.0"); later Debian
# releases ship 10 or newer themselves. Its firmware (SeaBIOS) comes along as it needs.
qemu_from_backports() {
  # shellcheck disable=SC1091 # the host's
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ "$codename" = bookworm ] || return 0
  case $(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true) in
    1:1[0-9].* | 1:[2-9][0-9].*) return 0 ;;
  esac
  if [ "$(id -u)" -ne 0 ]; then
    echo "host-deps: the VM tests want qemu 10 from bookworm-backports (run as root, or: apt-get install -t bookworm-backports qemu-system-x86 qemu-utils)" >&2
    exit 1
  fi
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "host-deps: adding bookworm-backports to apt's sources"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
      'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
      >/etc/apt/sources.list.d/berth-bookworm-backports.sources
  fi
  echo "host-deps: installing qemu 10 from bookworm-backports"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports qemu-system-x86 qemu-utils >/dev/null
}

missing=""
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "host-deps: missing packages:$missing (run as root, or install them with apt-get)" >&2
    exit 1
  fi
  echo "host-deps: installing$missing"
  apt-get update -qq
  # shellcheck disable=SC2086 # the list is meant to split into words
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ "${1:-build}" = build ] || qemu_from_backports
