# shellcheck shell=sh
# Kernel command line helpers for Berth's shell scripts (POSIX sh, busybox ash).
# Sourced, never run: by /init in the initramfs, and by on-target scripts from
# /usr/lib/berth/cmdline.sh (fs-squashfs installs the same file into the rootfs).
#
#   berth_cmdline_load [FILE]   read FILE (default: /proc/cmdline) once; the other
#                               functions answer from what it read
#   berth_cmdline_get KEY       print the value of KEY (any parameter, e.g. init, quiet);
#                               status 0 when KEY is present, 1 when not. A bare KEY
#                               prints an empty value. The last occurrence wins, as in
#                               the kernel.
#   berth_param NAME            berth_cmdline_get berth.NAME
#   berth_flag NAME             status 0 when berth.NAME is present and its value is not
#                               0, no, off or false
#   berth_param_names           print NAME for every berth.NAME on the command line, once
#                               each, in order of first appearance
#   berth_param_seconds NAME BAD
#                               the one rule for a number of seconds (berth.wait=...):
#                               prints the value and status 0 when it is 0 to 9999; prints
#                               nothing and status 1 when berth.NAME is absent or empty;
#                               prints BAD and status 2 when it is anything else, so the
#                               caller can say so
#
# Words are split and unquoted the way the kernel does it (lib/cmdline.c next_arg):
# whitespace outside double quotes separates words; a word opening with a quote loses it
# and its closing quote, and so does a value (KEY="a b" gives "a b"). A value cannot hold
# a newline. Helper variables start with _berth_ so that sourcing this file clobbers
# nothing of the caller's.

BERTH_CMDLINE_ARGS=

# One argument per line, KEY or KEY=VALUE, unquoted.
berth_cmdline_load() {
  _berth_line=
  if [ -r "${1:-/proc/cmdline}" ]; then
    _berth_line=$(cat "${1:-/proc/cmdline}") || return 1
  else
    return 1
  fi
  BERTH_CMDLINE_ARGS=
  _berth_word=
  _berth_have=0
  _berth_quote=0
  while [ -n "$_berth_line" ]; do
    if [ "$_berth_quote" = 1 ]; then
      # Inside quotes everything up to the closing quote belongs to the word.
      case $_berth_line in
        *'"'*)
          _berth_word=$_berth_word${_berth_line%%\"*}\"
          _berth_line=${_berth_line#*\"}
          _berth_quote=0
          ;;
        *)
          _berth_word=$_berth_word$_berth_line
          _berth_line=
          ;;
      esac
      continue
    fi
    _berth_chunk=${_berth_line%%[[:space:]\"]*}
    if [ -n "$_berth_chunk" ]; then
      _berth_word=$_berth_word$_berth_chunk
      _berth_have=1
      _berth_line=${_berth_line#"$_berth_chunk"}
      continue
    fi
    case $_berth_line in
      '"'*)
        _berth_word=$_berth_word\"
        _berth_have=1
        _berth_quote=1
        _berth_line=${_berth_line#?}
        ;;
      *)
        # Whitespace ends the word.
        [ "$_berth_have" = 0 ] || _berth_cmdline_add "$_berth_word"
        _berth_word=
        _berth_have=0
        _berth_line=${_berth_line#?}
        ;;
    esac
  done
  [ "$_berth_have" = 0 ] || _berth_cmdline_add "$_berth_word"
  return 0
}

# Unquote one word as the kernel does and append it to BERTH_CMDLINE_ARGS.
_berth_cmdline_add() {
  _berth_arg=$1
  case $_berth_arg in
    '"'*)
      _berth_arg=${_berth_arg#\"}
      _berth_arg=${_berth_arg%\"}
      ;;
  esac
  case $_berth_arg in
    ?*=*)
      _berth_value=${_berth_arg#*=}
      case $_berth_value in
        '"'*)
          _berth_value=${_berth_value#\"}
          _berth_value=${_berth_value%\"}
          ;;
      esac
      _berth_arg=${_berth_arg%%=*}=$_berth_value
      ;;
  esac
  [ -n "$_berth_arg" ] || return 0
  BERTH_CMDLINE_ARGS="$BERTH_CMDLINE_ARGS$_berth_arg
"
}

berth_cmdline_get() {
  _berth_found=1
  _berth_value=
  while IFS= read -r _berth_arg; do
    case $_berth_arg in
      "$1")
        _berth_found=0
        _berth_value=
        ;;
      "$1"=*)
        _berth_found=0
        _berth_value=${_berth_arg#*=}
        ;;
    esac
  done <<EOF
$BERTH_CMDLINE_ARGS
EOF
  [ "$_berth_found" = 1 ] || printf '%s\n' "$_berth_value"
  return "$_berth_found"
}

berth_param() {
  berth_cmdline_get "berth.$1"
}

berth_flag() {
  _berth_flag=$(berth_cmdline_get "berth.$1") || return 1
  case $_berth_flag in
    0 | no | off | false) return 1 ;;
  esac
  return 0
}

berth_param_names() {
  _berth_seen=' '
  while IFS= read -r _berth_arg; do
    case $_berth_arg in
      berth.?*) ;;
      *) continue ;;
    esac
    _berth_name=${_berth_arg#berth.}
    _berth_name=${_berth_name%%=*}
    case $_berth_seen in
      *" $_berth_name "*) continue ;;
    esac
    _berth_seen="$_berth_seen$_berth_name "
    printf '%s\n' "$_berth_name"
  done <<EOF
$BERTH_CMDLINE_ARGS
EOF
}

berth_param_seconds() {
  _berth_seconds=$(berth_param "$1") || _berth_seconds=
  case $_berth_seconds in
    '') return 1 ;;
    *[!0-9]* | ?????*)
      printf '%s\n' "$2"
      return 2
      ;;
  esac
  printf '%s\n' "$_berth_seconds"
}
