# shellcheck shell=sh
# Berth's shared shell primitives (POSIX sh, busybox ash), in the initramfs and the rootfs
# alike (fs-squashfs installs files/both into each): /init sources it for the early hooks,
# on-target scripts source /usr/lib/berth/lib.sh. One copy of each primitive, one rule.
# Helper variables start with _berth_ so that sourcing this file clobbers nothing of the
# caller's.
#
#   berth_sh_quote VALUE        print VALUE in single quotes, safe to read back with `.` or
#                               eval whatever it holds (quotes, newlines, $, `)
#   berth_env_write FILE NAME VALUE [NAME VALUE...]
#                               write NAME='VALUE' lines to FILE for `. FILE`, through
#                               FILE.tmp and a rename: a reader sees the old file or the
#                               new one, never half of it. Status 1 when it cannot write.
#   berth_wait_until SECONDS COMMAND [ARGS...]
#                               run COMMAND until it succeeds, pausing 0.1 s between
#                               tries, for at most SECONDS (0: one try). Status 0 once it
#                               succeeded, 1 when the time ran out first. The limit counts
#                               pauses, so a slow COMMAND stretches it: the early hooks'
#                               berth_wait_for (early.sh) goes by the clock for blkid.

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

berth_wait_until() {
  _berth_pauses=$(($1 * 10))
  shift
  until "$@"; do
    [ "$_berth_pauses" -gt 0 ] || return 1
    usleep 100000
    _berth_pauses=$((_berth_pauses - 1))
  done
}
