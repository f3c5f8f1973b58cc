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
  chromium chromium-driver libpng-dev"

case "${1:-build}" in
  build) wanted=$build_packages ;;
  test) wanted="$build_packages $test_packages" ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac

missing=""
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "host-deps: missing packages:$missing (run as root, or install them with apt-get)" >&2
  exit 1
fi
echo "host-deps: installing$missing"
apt-get update -qq
# shellcheck disable=SC2086 # the list is meant to split into words
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
