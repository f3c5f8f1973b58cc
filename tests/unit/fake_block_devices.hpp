// The block devices an early hook's unit test shows it, as shell functions to put before the
// hook: fake_blkid and fake_mount answer from a device table and a directory of file trees
// instead of the machine, so the tests of several hooks describe their disks the same way.
//
//   $FAKE_DEVICES  lines of "DEVICE TYPE LABEL UUID" ("-" for a column the device lacks)
//   $WORK/fs/NAME  the files on /dev/NAME, copied in when it is mounted
//   $FAKE_LOG      where fake_mount notes each call ("mount ARGS")
//   $FAKE_REMOUNT  the status of a remount (mount -o remount,... DIR); 0 when unset
// The table's devices also show in $BERTH_TEST_ROOT/sys/class/block, as the kernel lists them
// (early.sh's berth_disks_present looks there before it runs blkid).
#pragma once

#include <string>

namespace berth::test {

// fake_blkid ARGS: as `blkid -c /dev/null [-p] -o device -t KEY=VALUE` (the devices whose LABEL
// or UUID is VALUE) and `blkid ... -o value -s TYPE|LABEL|UUID DEVICE`; status 2 when nothing
// matches, as blkid's. A hook's berth_base_exec stub hands its blkid calls to it.
inline std::string fake_blkid() {
  return R"sh(
if [ -n "${BERTH_TEST_ROOT:-}" ]; then
  echo "$FAKE_DEVICES" | while read -r _fb_device _fb_rest; do
    case $_fb_device in
      /dev/?*) mkdir -p "$BERTH_TEST_ROOT/sys/class/block/${_fb_device#/dev/}" ;;
    esac
  done
fi
fake_blkid() {
  for _fb_last in "$@"; do :; done
  case " $* " in
    *" -t "*)
      _fb_key=${_fb_last%%=*}
      case $_fb_key in
        LABEL) _fb_column=3 ;;
        UUID) _fb_column=4 ;;
        *) return 2 ;;
      esac
      _fb_want=${_fb_last#*=}
      _fb_show=1
      ;;
    *" -s "*)
      case " $* " in
        *" -s TYPE "*) _fb_show=2 ;;
        *" -s LABEL "*) _fb_show=3 ;;
        *" -s UUID "*) _fb_show=4 ;;
        *) return 2 ;;
      esac
      _fb_column=1
      _fb_want=$_fb_last
      ;;
    *)
      echo "fake blkid: $*" >&2
      return 4
      ;;
  esac
  echo "$FAKE_DEVICES" | awk -v column="$_fb_column" -v want="$_fb_want" -v show="$_fb_show" '
    NF && ($column "") == (want "") && $show != "" && $show != "-" { print $show; found = 1 }
    END { exit found ? 0 : 2 }'
}
)sh";
}

// mount [-t TYPE] [-o OPTIONS] DEVICE DIR copies $WORK/fs/NAME into DIR (status 32 when
// /dev/NAME holds no filesystem there); mount -o remount,... DIR returns $FAKE_REMOUNT.
inline std::string fake_mount() {
  return R"sh(
mount() {
  echo "mount $*" >>"$FAKE_LOG"
  while [ "$1" = -t ] || [ "$1" = -o ]; do shift 2; done
  [ $# = 2 ] || return "${FAKE_REMOUNT:-0}"
  [ -d "$WORK/fs/${1##*/}" ] || return 32
  cp -R "$WORK/fs/${1##*/}/." "$2/"
}
)sh";
}

}  // namespace berth::test
