#!/usr/bin/env bash
# bootstrap-equivalence.sh: bootstrap-multistrap and bootstrap-mmdebstrap must make the
# same rootfs from the same request.
#
# Writes one small config (only [debian] and [bootstrap]: the core builds a config
# without the other sections) and runs `berth build` on it twice, once per plugin,
# sharing one download cache. Then it compares:
#   1. packages.txt, the "name version" list each plugin writes to its work directory:
#      must be identical;
#   2. the pins: linux-sysctl-defaults, pinned to trixie-backports at 990, must be a
#      backports version (~bpo) in both, and wireguard-tools, which backports also has
#      but only the catch-all priority 100 allows, must not be;
#   3. the two rootfs trees: same paths, types, modes, owners, link targets and file
#      contents;
#   4. what must not be in either: the build host's resolv.conf or hostname, a
#      non-empty machine-id, apt lists or caches.
#
# Needs root, network to deb.debian.org, multistrap and mmdebstrap (a Debian 12 host)
# and a built berth (cmake --build build). Driven by hand or by CI:
#   tests/integration/bootstrap-equivalence.sh [-b BERTH] [-w DIR] [-c CACHE] [-p PKGS] [-k]
#     -b BERTH  the berth binary (default: $BERTH, else build/bin/berth of this checkout)
#     -w DIR    scratch directory (default: a new one under $TMPDIR, removed at the end)
#     -c CACHE  download cache for both builds (default: DIR/cache; pass
#               /var/cache/berth to reuse the .debs of earlier builds)
#     -p PKGS   more packages to request, space-separated (e.g. the default
#               config's "docker.io containerd runc kmod e2fsprogs cryptsetup-bin")
#     -k        keep the scratch directory (default when -w is given)
# Exit status: 0 equivalent, 1 different, 2 a build failed, 77 cannot run here
# (not root, a tool missing), the code ctest's SKIP_RETURN_CODE expects.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
berth=${BERTH:-$repo/build/bin/berth}
scratch=""
cache=""
extra_packages=""
keep=0

usage() {
  sed -n '/^#   tests/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while getopts "b:w:c:p:kh" option; do
  case $option in
    b) berth=$OPTARG ;;
    w) scratch=$OPTARG; keep=1 ;;
    c) cache=$OPTARG ;;
    p) extra_packages=$OPTARG ;;
    k) keep=1 ;;
    *) usage ;;
  esac
done

skip() {
  echo "bootstrap-equivalence: skipped: $*" >&2
  exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root (the rootfs keeps the packages' owners)"
[ -x /usr/sbin/multistrap ] || skip "/usr/sbin/multistrap not installed (Debian 12 only)"
[ -x /usr/bin/mmdebstrap ] || skip "/usr/bin/mmdebstrap not installed"
[ -x "$berth" ] || skip "$berth not built (cmake --build build, or pass -b)"

if [ -z "$scratch" ]; then
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/bootstrap-equivalence.XXXXXX")
fi
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
cache=${cache:-$scratch/cache}
cleanup() {
  if [ "$keep" -eq 0 ]; then
    rm -rf "$scratch"
  else
    echo "bootstrap-equivalence: kept $scratch" >&2
  fi
}
trap cleanup EXIT

# The request both plugins get. Small, but with dependencies (iptables, wireguard-tools)
# and a pin that only works if the tool honours apt_preferences.
write_config() {
  local plugin=$1
  local packages='"busybox-static", "iptables", "tini", "linux-sysctl-defaults", "wireguard-tools"'
  local package
  for package in $extra_packages; do
    packages+=", \"$package\""
  done
  cat <<EOF
[debian]
suite = "trixie"
architecture = "amd64"
keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

[[debian.sources]]
uri = "http://deb.debian.org/debian"
suites = ["trixie", "trixie-updates", "trixie-backports"]
components = ["main"]

[[debian.sources]]
uri = "http://deb.debian.org/debian-security"
suites = ["trixie-security"]
components = ["main"]

[[debian.pins]]
package = "*"
release = "trixie-backports"
priority = 100

[[debian.pins]]
package = "linux-sysctl-defaults"
release = "trixie-backports"
priority = 990

[bootstrap]
plugin = "$plugin"
packages = [$packages]
EOF
}

build() {
  local plugin=$1
  local dir=$scratch/$plugin
  mkdir -p "$dir"
  write_config "$plugin" > "$dir/berth.toml"
  echo "bootstrap-equivalence: building with $plugin" >&2
  local started=$SECONDS
  if ! "$berth" build -c "$dir/berth.toml" -w "$dir/work" -o "$dir/out" --cache "$cache" \
      > "$dir/build.log" 2>&1; then
    tail -n 20 "$dir/build.log" >&2
    echo "bootstrap-equivalence: $plugin build failed; log: $dir/build.log" >&2
    keep=1
    exit 2
  fi
  echo "bootstrap-equivalence: $plugin built in $((SECONDS - started)) s" >&2
}

# One line per path: type, mode, owner, size of regular files, path, link target.
tree_listing() {
  (cd "$1" && find . -printf '%y %m %U:%G %s %p -> %l\n' | awk '$1 != "f" { $4 = "-" } { print }' | sort)
}

failures=0
fail() {
  echo "bootstrap-equivalence: FAIL: $*" >&2
  failures=$((failures + 1))
}

build bootstrap-multistrap
build bootstrap-mmdebstrap

multistrap_work=$scratch/bootstrap-multistrap/work
mmdebstrap_work=$scratch/bootstrap-mmdebstrap/work
multistrap_packages=$multistrap_work/plugins/bootstrap-multistrap/packages.txt
mmdebstrap_packages=$mmdebstrap_work/plugins/bootstrap-mmdebstrap/packages.txt

for list in "$multistrap_packages" "$mmdebstrap_packages"; do
  [ -s "$list" ] || fail "$list missing or empty"
done
if ! diff -u "$multistrap_packages" "$mmdebstrap_packages"; then
  fail "packages.txt differs (multistrap: -, mmdebstrap: +)"
fi

for list in "$multistrap_packages" "$mmdebstrap_packages"; do
  grep -q '^linux-sysctl-defaults .*~bpo' "$list" ||
    fail "$list: linux-sysctl-defaults is not the pinned trixie-backports version"
  grep -q '^wireguard-tools ' "$list" || fail "$list: wireguard-tools missing"
  if grep -q '^wireguard-tools .*~bpo' "$list"; then
    fail "$list: wireguard-tools came from trixie-backports despite its priority 100"
  fi
done

if ! diff -u <(tree_listing "$multistrap_work/rootfs") <(tree_listing "$mmdebstrap_work/rootfs"); then
  fail "the rootfs trees differ (multistrap: -, mmdebstrap: +)"
elif ! diff -r --no-dereference "$multistrap_work/rootfs" "$mmdebstrap_work/rootfs" > /dev/null; then
  fail "file contents differ between the two rootfs trees"
fi

for rootfs in "$multistrap_work/rootfs" "$mmdebstrap_work/rootfs"; do
  for leak in etc/resolv.conf etc/hostname var/lib/apt/lists var/cache/apt/archives var/lib/dpkg/status; do
    if [ -e "$rootfs/$leak" ] || [ -L "$rootfs/$leak" ]; then
      fail "$rootfs/$leak exists"
    fi
  done
  if [ ! -f "$rootfs/etc/machine-id" ] || [ -s "$rootfs/etc/machine-id" ]; then
    fail "$rootfs/etc/machine-id is not an empty file"
  fi
  for link in bin:usr/bin sbin:usr/sbin lib:usr/lib lib64:usr/lib64 var/run:/run var/lock:/run/lock; do
    [ "$(readlink "$rootfs/${link%%:*}")" = "${link#*:}" ] ||
      fail "$rootfs/${link%%:*} is not a link to ${link#*:}"
  done
done

if [ "$failures" -gt 0 ]; then
  keep=1
  echo "bootstrap-equivalence: $failures check(s) failed" >&2
  exit 1
fi
echo "bootstrap-equivalence: OK, $(wc -l < "$multistrap_packages") packages, identical rootfs from both plugins"
