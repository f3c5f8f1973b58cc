# shellcheck shell=bash
# Sourced by the integration and out-of-tree tests (bash): downloading packages from the
# Debian archive with a private apt (its own sources, lists and cache, nothing of the
# host's), and the same archive as a test config's [debian] table.
#
#   private_apt_download DIR PACKAGE [SUITE]   downloads PACKAGE's .deb into DIR/debs
#   kernel_package_deb DIR [CACHE]             prints the path of a linux-image .deb: the
#                                              newest in CACHE, else trixie's, downloaded
#   debian_config_table                        prints a berth.toml [debian] table
# SUITE defaults to $BERTH_SUITE or trixie, the mirror to $BERTH_MIRROR or deb.debian.org.

private_apt_options=()

private_apt_mirror() {
  echo "${BERTH_MIRROR:-http://deb.debian.org/debian}"
}

# debian_config_table: the [debian] table of a test's berth.toml: the suite and mirror
# the downloads above use, so a build and its test read the same archive.
debian_config_table() {
  local suite=${BERTH_SUITE:-trixie}
  cat <<TOML
[debian]
suite = "$suite"
[[debian.sources]]
uri = "$(private_apt_mirror)"
suites = ["$suite"]
TOML
}

private_apt_update() {  # DIR SUITE
  local apt_dir=$1 suite=$2 mirror
  mirror=$(private_apt_mirror)
  mkdir -p "$apt_dir"/etc/apt.conf.d "$apt_dir"/etc/preferences.d "$apt_dir"/etc/sources.list.d \
    "$apt_dir"/state/lists/partial "$apt_dir"/cache/archives/partial "$apt_dir"/debs
  : >"$apt_dir/status"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
    >"$apt_dir/etc/sources.list"
  private_apt_options=(
    -o "Dir::Etc=$apt_dir/etc"
    -o "Dir::State=$apt_dir/state"
    -o "Dir::State::status=$apt_dir/status"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Architecture=amd64"
    -o "APT::Sandbox::User=root" # the _apt user cannot write into a mktemp directory
    -o "Debug::NoLocking=1"
  )
  apt-get "${private_apt_options[@]}" -qq update
}

private_apt_download() {  # DIR PACKAGE [SUITE]
  private_apt_update "$1" "${3:-${BERTH_SUITE:-trixie}}"
  (cd "$1/debs" && apt-get "${private_apt_options[@]}" -qq download "$2")
}

kernel_package_deb() {  # DIR [CACHE]
  local apt_dir=$1 cache=${2:-} deb="" image
  if [ -n "$cache" ] && [ -d "$cache" ]; then
    deb=$(find "$cache" -name 'linux-image-[0-9]*.deb' ! -name '*-dbg_*' | sort | tail -n 1)
  fi
  if [ -z "$deb" ]; then
    private_apt_update "$apt_dir" "${BERTH_SUITE:-trixie}"
    # The metapackage's dependency is the versioned image package.
    image=$(apt-cache "${private_apt_options[@]}" depends linux-image-amd64 |
      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
    [ -n "$image" ] || { echo "FAIL: cannot resolve linux-image-amd64" >&2; return 1; }
    (cd "$apt_dir/debs" && apt-get "${private_apt_options[@]}" -qq download "$image")
    deb=$(ls "$apt_dir"/debs/linux-image-*.deb)
  fi
  echo "$deb"
}
