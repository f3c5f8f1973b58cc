# Shared by the display images' entry points (berth-xpra, berth-xephyr, berth-console):
# the contract with `berth gui start` on the host (plugins/gui-xpra/files/rootfs/usr/lib/berth/gui.sh).
#
#   /run/berth-gui          the host's /run/berth/gui/<mode>, read-write:
#     cookie                written here: this display's cookie, FamilyWild, so that a client
#                           in any container (any hostname) finds it
#     ready                 written here once a client holding the cookie gets in
#     password              (xpra) written by the host before the start
#   /tmp/.X11-unix          the host's /run/berth/gui/<mode>/X11-unix: the display's socket
#   BERTH_GUI_DISPLAY       the display number; BERTH_GUI_SIZE the screen size, WIDTHxHEIGHT
# shellcheck shell=sh

DISPLAY_STATE=/run/berth-gui

display_say() {
  echo "${0##*/}: $*" >&2
}

display_fail() {
  display_say "$*"
  exit 1
}

# display_settings: checks and exports what the host passed.
display_settings() {
  number=${BERTH_GUI_DISPLAY:-}
  size=${BERTH_GUI_SIZE:-1280x800}
  case $number in
    '' | *[!0-9]*) display_fail "BERTH_GUI_DISPLAY='$number' is not a display number" ;;
  esac
  case $size in
    [1-9]*x[1-9]*) ;;
    *) display_fail "BERTH_GUI_SIZE='$size' is not WIDTHxHEIGHT" ;;
  esac
  [ -d "$DISPLAY_STATE" ] || display_fail "$DISPLAY_STATE is not mounted"
  rm -f "$DISPLAY_STATE/cookie" "$DISPLAY_STATE/ready"
  mkdir -p /tmp/.X11-unix
  rm -f "/tmp/.X11-unix/X$number" "/tmp/.X$number-lock"
}

# display_random_hex: 16 random bytes in hex, an MIT-MAGIC-COOKIE-1.
display_random_hex() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# display_server_cookie FILE: a fresh cookie for this display in FILE (the server's -auth).
display_server_cookie() {
  rm -f "$1"
  (umask 077 && : >"$1" && xauth -q -f "$1" add ":$number" MIT-MAGIC-COOKIE-1 "$(display_random_hex)")
}

# display_publish_cookie FILE: the cookies of FILE as FamilyWild entries in $DISPLAY_STATE/cookie.
# An entry's first 4 hex digits are its family; ffff matches whatever host name asks.
display_publish_cookie() {
  rm -f "$DISPLAY_STATE/cookie.new"
  # xauth complains about a missing file before it creates it: start from an empty one.
  (umask 077 && : >"$DISPLAY_STATE/cookie.new" && xauth -f "$1" nlist | sed 's/^..../ffff/' |
    xauth -q -f "$DISPLAY_STATE/cookie.new" nmerge -)
  [ -s "$DISPLAY_STATE/cookie.new" ] || display_fail "no cookie for display :$number in $1"
  mv -f "$DISPLAY_STATE/cookie.new" "$DISPLAY_STATE/cookie"
}

# display_wait_socket PID: waits until display :$number has its socket, or PID died.
display_wait_socket() {
  while [ ! -S "/tmp/.X11-unix/X$number" ]; do
    kill -0 "$1" 2>/dev/null || display_fail "the X server of :$number ended before it was ready"
    sleep 0.2
  done
}

# display_mark_ready: once a client with the published cookie gets in (and only then), the
# host may hand the display out.
display_mark_ready() {
  tries=0
  until XAUTHORITY=$DISPLAY_STATE/cookie DISPLAY=:$number xhost >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || display_fail "display :$number does not accept its own cookie"
    sleep 0.2
  done
  : >"$DISPLAY_STATE/ready"
  display_say "display :$number is ready"
}
