# shellcheck shell=sh
# Berth's shared shell primitives (POSIX sh, busybox ash), in the initramfs and the rootfs
# alike (fs-squashfs installs files/both into each): /init sources it for the early hooks,
# on-target scripts source /usr/lib/berth/lib.sh. One copy of each primitive, one rule.
# Helper variables start with _berth_ so that sourcing this file clobbers nothing of the
# caller's. A script whose unit tests run it against a fake tree writes a fixed system
# path as "${BERTH_TEST_ROOT:-}/the/path": unset on a real system, the tests' temporary
# root otherwise. That is the one seam: no other variable redirects a path.
#
#   berth_sh_quote VALUE        print VALUE in single quotes, safe to read back with `.` or
#                               eval whatever it holds (quotes, newlines, $, `)
#   berth_env_write FILE NAME VALUE [NAME VALUE...]
#                               write NAME='VALUE' lines to FILE for `. FILE`, through
#                               FILE.tmp and a rename: a reader sees the old file or the
#                               new one, never half of it. Status 1 when it cannot write.
#   berth_wait_until SECONDS COMMAND [ARGS...]
#                               run COMMAND until it succeeds, pausing 0.1 s between
#                               tries, for at most SECONDS by the clock (0: one try):
#                               under emulation one try (a docker CLI, a blkid) may take
#                               longer than the pause, and a limit counting pauses would
#                               stretch with it. Status 0 once it succeeded, 1 when the
#                               time ran out first. The early hooks' berth_wait_for
#                               (early.sh) is the same rule plus device coldplug.
#   berth_wait_every TENTHS SECONDS COMMAND [ARGS...]
#                               the same with TENTHS of a second between tries, for a
#                               COMMAND too heavy to repeat ten times a second, and for
#                               the long waits on Docker's start (10: once a second):
#                               each try forks, and ten a second took a quarter of the
#                               emulated CPU that dockerd's start needed.
#   berth_uptime_tenths         tenths of a second since the kernel started: the clock
#                               of the waits (monotonic, unlike the date).

berth_sh_quote() {
  _berth_rest=$1
  _berth_quoted=
  while :; do
    case $_berth_rest in
      *"'"*)
        _berth_quoted=$_berth_quoted${_berth_rest%%"'"*}"'\\''"
        _berth_rest=${_berth_rest#*"'"}
        ;;
      *) break ;;
    esac
  done
  printf "'%s'" "$_berth_quoted$_berth_rest"
}

berth_env_write() {
  _berth_env=$1
  shift
  while [ "$#" -ge 2 ]; do
    printf '%s=%s\n' "$1" "$(berth_sh_quote "$2")"
    shift 2
  done >"$_berth_env.tmp" && mv -f "$_berth_env.tmp" "$_berth_env"
}

berth_uptime_tenths() {
  read -r _berth_up _ </proc/uptime || return 1
  _berth_tenth=${_berth_up#*.}
  echo $((${_berth_up%.*} * 10 + ${_berth_tenth%"${_berth_tenth#?}"}))
}

berth_wait_every() {
  _berth_pause=$(($1 * 100000))
  _berth_until=$(($(berth_uptime_tenths) + $2 * 10))
  shift 2
  until "$@"; do
    [ "$(berth_uptime_tenths)" -lt "$_berth_until" ] || return 1
    usleep "$_berth_pause"
  done
}

berth_wait_until() {
  berth_wait_every 1 "$@"
}
