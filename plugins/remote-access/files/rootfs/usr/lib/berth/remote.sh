# shellcheck shell=sh
# remote-access's shared helpers (the Docker API over TLS, SSH): where things are kept and
# how what comes from outside is read. Sourced, never run; helper variables start with _rm_
# so that sourcing clobbers nothing of the caller's.
#
#   remote_clean TEXT          TEXT with every byte outside printable ASCII as '?', for
#                              one-line messages about things from the medium or the kernel
#                              command line
#   remote_say TEXT            "berth: TEXT" on stdout
#   remote_persistent          status 0 when /var/lib/berth is on a data volume (persist-
#                              disk's /run/berth/persist.env says so)
#   remote_param NAME          the value of berth.NAME on the kernel command line (status 1
#                              when absent), read once through /usr/lib/berth/cmdline.sh
#   remote_small_file FILE MAX status 0 when FILE is a regular file (not a symbolic link)
#                              of 1 to MAX bytes: the bound on everything read from the
#                              medium or the data volume
#
# Where keys and certificates may come from (see "Remote use" in the user guide): the boot
# medium (/run/berth/medium/berth/...: trusted, it holds the system itself), the data volume
# (/var/lib/berth/...) and the kernel command line. Never from another disk or stick,
# trusted for its images or not: a key is a login, more than an image.
#
# BERTH_TEST_ROOT (unset on a real system) is put in front of every path, and its bin/ in
# front of PATH, for the unit tests.

_rm_root=${BERTH_TEST_ROOT:-}
if [ -n "$_rm_root" ]; then
  PATH=$_rm_root/bin:$PATH
  export PATH
fi
# shellcheck disable=SC2034 # the users of this library read these
REMOTE_STATE=$_rm_root/var/lib/berth
# shellcheck disable=SC2034
REMOTE_MEDIUM=$_rm_root/run/berth/medium/berth
REMOTE_RUN=$_rm_root/run/berth
# Where the unit tests' stand-ins for system tools are: a busybox shell runs its own
# applets (ip) before anything on PATH.
# shellcheck disable=SC2034
REMOTE_TOOLS=${BERTH_TEST_ROOT:+$BERTH_TEST_ROOT/bin/}
_rm_cmdline_loaded=

remote_clean() {
  printf '%s' "$1" | LC_ALL=C tr -c ' -~' '?'
}

remote_say() {
  echo "berth: $*"
}

remote_persistent() {
  grep -q "^BERTH_DATA_STATE='on'" "$REMOTE_RUN/persist.env" 2>/dev/null
}

remote_param() {
  if [ -z "$_rm_cmdline_loaded" ]; then
    # shellcheck source=SCRIPTDIR/../../../../../../fs-squashfs/files/both/usr/lib/berth/cmdline.sh
    . "$_rm_root/usr/lib/berth/cmdline.sh" || return 1
    berth_cmdline_load "$_rm_root/proc/cmdline" || return 1
    _rm_cmdline_loaded=1
  fi
  berth_param "$1"
}

remote_small_file() {
  [ -f "$1" ] && [ ! -L "$1" ] || return 1
  _rm_size=$(wc -c <"$1" 2>/dev/null) || return 1
  [ "$_rm_size" -gt 0 ] && [ "$_rm_size" -le "$2" ]
}
