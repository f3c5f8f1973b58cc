# The displays `berth gui` starts, their state under /run/berth/gui, and the contract with
# the display images (their side: plugins/gui-xpra/files/images/display-rootfs).
# Sourced by commands/gui and status.d/80-gui.
#
# /run/berth/gui/
#   MODE/                   one per running display (xpra, xephyr, console), mounted into its
#                           container at /run/berth-gui:
#     X11-unix/XN           the display's socket (the container's /tmp/.X11-unix)
#     cookie                its cookie (FamilyWild), written by the container
#     ready                 written by the container once the cookie gets a client in
#     password              xpra: the HTML5 client's password (0600)
#     display.env           display=N, port=, size=, parent=MODE (xephyr)
#   current.env             the display programs go to, for the wrappers (import-docker):
#                           mode=, display=, socket=, cookie=
# shellcheck shell=sh

# BERTH_TEST_ROOT (unset on a real system) is put in front of it, for unit tests.
GUI_RUN=${BERTH_TEST_ROOT:-}/run/berth/gui
# shellcheck disable=SC2034 # for the scripts that source this file
GUI_MODES="xpra xephyr console"
GUI_CONTAINER_PREFIX=berth-gui-
# shellcheck source=plugins/fs-squashfs/files/both/usr/lib/berth/lib.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/lib.sh"
# import-docker's library answers where an image came from (import_from_build); gui-xpra
# needs the import concern, so the build fails without it.
# shellcheck source=plugins/import-docker/files/rootfs/usr/lib/berth/import.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/import.sh"

gui_say() {
  echo "berth gui: $*"
}

gui_fail() {
  echo "berth gui: $*" >&2
  exit 1
}

# gui_display_number MODE: the X display number each mode uses.
gui_display_number() {
  case $1 in
    console) echo 0 ;;
    xpra) echo 100 ;;
    xephyr) echo 101 ;;
  esac
}

# gui_env_get FILE KEY: KEY's value in a KEY=value file, empty when absent.
gui_env_get() {
  sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1
}

# gui_running MODE: whether MODE's container runs and its display said it is ready.
gui_running() {
  [ -e "$GUI_RUN/$1/ready" ] || return 1
  [ "$(docker inspect -f '{{.State.Running}}' "$GUI_CONTAINER_PREFIX$1" 2>/dev/null)" = true ]
}

# gui_labelled MODE: the images labelled io.berth.gui.display=MODE, newest first.
gui_labelled() {
  docker images --filter "label=io.berth.gui.display=$1" --format '{{.Repository}}:{{.Tag}}' |
    grep -v '<none>'
}

# gui_image MODE: the newest image for MODE's display that the build put on the medium:
# labelled for MODE and imported, under the id it has now, from the boot medium (or the
# data volume, where `berth install` copies the medium's images), trusted. Empty when none:
# an image from a stick never becomes a display by its label (a display is privileged, or
# holds the password), only when named with --image.
gui_image() {
  gui_labelled "$1" | while IFS= read -r _g_ref; do
    _g_id=$(docker image inspect --format '{{.Id}}' "$_g_ref" 2>/dev/null) || continue
    if import_from_build "$_g_ref" "$_g_id"; then
      echo "$_g_ref"
      break
    fi
  done
}

# gui_address: the machine's first IPv4 address on a non-loopback interface, for URLs.
gui_address() {
  ip -4 -o addr show scope global 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}

# gui_write_current MODE: programs go to MODE's display from now on.
gui_write_current() {
  _g_number=$(gui_env_get "$GUI_RUN/$1/display.env" display)
  {
    echo "mode=$1"
    echo "display=$_g_number"
    echo "socket=$GUI_RUN/$1/X11-unix/X$_g_number"
    echo "cookie=$GUI_RUN/$1/cookie"
  } >"$GUI_RUN/current.env.new"
  mv -f "$GUI_RUN/current.env.new" "$GUI_RUN/current.env"
}

# gui_current: the mode programs go to, empty when none.
gui_current() {
  gui_env_get "$GUI_RUN/current.env" mode
}

# gui_pick_current: after a stop, the most nested display still running becomes current.
gui_pick_current() {
  for _g_mode in xephyr xpra console; do
    if gui_running "$_g_mode"; then
      gui_write_current "$_g_mode"
      return 0
    fi
  done
  rm -f "$GUI_RUN/current.env"
}
