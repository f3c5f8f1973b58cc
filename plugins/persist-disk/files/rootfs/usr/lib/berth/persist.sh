# shellcheck shell=sh
# persist-disk's library for the running system: what lives on the data volume and how
# it is put in place. Sourced by rc.d/15-persist, `berth data` and status.d; helper
# variables start with _p_ so sourcing clobbers nothing of the caller's.
#
# The data volume (an ext4 filesystem, mounted at /run/berth/data by the initramfs hook
# or by `berth data prepare`) holds one directory per persistent path, bind-mounted over
# the path:
#   berth/   /var/lib/berth   Berth's own state: persist.conf, hooks/, import records
#   docker/  /var/lib/docker  images, containers, volumes
#   home/    /home
#   root/    /root
#   paths/<path>              every path /var/lib/berth/persist.conf adds
#   overlay/                  the whole writable layer, with berth.persist=full
# A directory missing on the volume is first filled with what the running system has
# at that path (so /root keeps its dotfiles, a RAM Docker state moves over), copied with
# its extended attributes: overlay2 keeps whiteouts in them.

# BERTH_TEST_ROOT (unset on a real system) is put in front of it, for unit tests.
PERSIST_RUN=${BERTH_TEST_ROOT:-}/run/berth
PERSIST_ENV=$PERSIST_RUN/persist.env
PERSIST_MOUNTS=$PERSIST_RUN/persist.mounts
PERSIST_CONF=/var/lib/berth/persist.conf

# Volume directory and path, in the order they are mounted (berth/ first: it holds
# persist.conf).
persist_default_paths() {
  echo "berth /var/lib/berth"
  echo "docker /var/lib/docker"
  echo "home /home"
  echo "root /root"
}

# shellcheck disable=SC2034 # the callers read these
# Load /run/berth/persist.env: BERTH_DATA_STATE (on, off, failed; off when no boot
# hook ran), BERTH_DATA_DEVICE, BERTH_DATA_MODE, BERTH_DATA_DIR, BERTH_DATA_REASON.
persist_load() {
  BERTH_DATA_STATE=off
  BERTH_DATA_DEVICE=
  BERTH_DATA_MODE=
  BERTH_DATA_DIR=$PERSIST_RUN/data
  BERTH_DATA_REASON="no data volume hook ran"
  if [ -r "$PERSIST_ENV" ]; then
    # shellcheck disable=SC1090 # written by the early hook or by `berth data prepare`
    . "$PERSIST_ENV"
  fi
}

# persist_record STATE DEVICE MODE REASON: what persist_load reads.
persist_record() {
  mkdir -p "$PERSIST_RUN"
  {
    echo "BERTH_DATA_STATE='$1'"
    echo "BERTH_DATA_DEVICE='$2'"
    echo "BERTH_DATA_MODE='$3'"
    echo "BERTH_DATA_DIR='$PERSIST_RUN/data'"
    echo "BERTH_DATA_REASON='$(echo "$4" | tr -d "'")'"
  } >"$PERSIST_ENV.tmp" && mv -f "$PERSIST_ENV.tmp" "$PERSIST_ENV"
}

# persist_conf_paths FILE: the absolute paths FILE lists, one a line ('#' starts a
# comment, blank lines are skipped). A line that is not a usable path is reported on
# stderr as FILE:LINE and skipped: the API filesystems, /run (and /var/run, /var/lock),
# /tmp, the paths Berth persists anyway and their parents /var and /var/lib, and anything
# with .. or a relative path.
persist_conf_paths() {
  [ -r "$1" ] || return 0
  _p_line=0
  while IFS= read -r _p_entry || [ -n "$_p_entry" ]; do
    _p_line=$((_p_line + 1))
    _p_entry=${_p_entry%%#*}
    # Trim blanks on both sides.
    _p_entry=${_p_entry#"${_p_entry%%[![:space:]]*}"}
    _p_entry=${_p_entry%"${_p_entry##*[![:space:]]}"}
    [ -n "$_p_entry" ] || continue
    _p_why=
    case $_p_entry in
      /*) ;;
      *) _p_why="not an absolute path" ;;
    esac
    case $_p_entry in
      */../* | */.. | */./* | */. | *//*) _p_why="not a plain path (no ., .. or //)" ;;
    esac
    _p_entry=${_p_entry%/}
    case $_p_entry in
      '' | /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /run | /run/* | /tmp | /tmp/*)
        _p_why="${_p_entry:-/} cannot be persisted"
        ;;
      /var/lib/berth | /var/lib/berth/* | /var/lib/docker | /var/lib/docker/* | /home | /home/* | /root | /root/*)
        _p_why="$_p_entry is persisted anyway"
        ;;
      # Links into /run, and the parents of what is persisted anyway (a second copy of
      # Docker's state, bound over the first).
      /var/run | /var/run/* | /var/lock | /var/lock/*) _p_why="$_p_entry is in /run, which cannot be persisted" ;;
      /var | /var/lib) _p_why="$_p_entry holds /var/lib/docker and /var/lib/berth, persisted on their own; name a path below it" ;;
    esac
    if [ -n "$_p_why" ]; then
      echo "berth: $1:$_p_line: $_p_why; skipped" >&2
      continue
    fi
    echo "$_p_entry"
  done <"$1"
  return 0
}

# persist_mount_type DIR: print the filesystem type mounted at DIR; status 1 when DIR is
# not a mount point.
persist_mount_type() {
  awk -v dir="$1" '$2 == dir { type = $3 } END { if (type == "") exit 1; print type }' /proc/mounts
}

# persist_copy FROM TO: copy the contents of directory FROM into the existing directory
# TO, keeping owners, modes, times, device nodes, hard links and extended attributes.
# GNU tar by its path: Debian's static busybox runs its own applets before $PATH, and
# busybox tar knows nothing of extended attributes.
persist_copy() {
  /usr/bin/tar --xattrs --xattrs-include='*' --acls -C "$1" -cf - . |
    /usr/bin/tar --xattrs --xattrs-include='*' --acls --numeric-owner -C "$2" -xpf -
}

# persist_bind NAME PATH: bind the volume's NAME (a directory or, for a file PATH, a
# file) over PATH, filling it from PATH first when the volume lacks it. A tmpfs mounted
# at PATH (Docker's RAM data root) is emptied into the volume and unmounted.
persist_bind() {
  _p_data=$BERTH_DATA_DIR/$1
  _p_path=$2
  _p_type=$(persist_mount_type "$_p_path") || _p_type=
  case $_p_type in
    '' | tmpfs) ;;
    *)
      echo "berth: $_p_path is already a mount point ($_p_type); not persisted" >&2
      return 1
      ;;
  esac
  if [ -f "$_p_path" ] && [ ! -L "$_p_path" ]; then
    if [ ! -e "$_p_data" ]; then
      if ! { mkdir -p "${_p_data%/*}" && cp -p "$_p_path" "$_p_data.new" &&
        mv "$_p_data.new" "$_p_data"; }; then
        echo "berth: cannot copy $_p_path to the data volume" >&2
        return 1
      fi
    fi
  else
    if [ -L "$_p_path" ]; then
      echo "berth: $_p_path is a symbolic link; not persisted" >&2
      return 1
    fi
    mkdir -p "$_p_path" || return 1
    if [ ! -d "$_p_data" ]; then
      # Filled under another name and renamed: an interrupted copy is not mistaken for
      # a complete one at the next boot.
      rm -rf "$_p_data.new"
      if ! { mkdir -p "$_p_data.new" && persist_copy "$_p_path" "$_p_data.new" &&
        mv "$_p_data.new" "$_p_data"; }; then
        echo "berth: cannot copy $_p_path to the data volume" >&2
        return 1
      fi
    fi
    if [ "$_p_type" = tmpfs ]; then
      umount "$_p_path" || {
        echo "berth: cannot unmount the tmpfs on $_p_path" >&2
        return 1
      }
    fi
  fi
  mount --bind "$_p_data" "$_p_path" || return 1
  echo "$_p_path" >>"$PERSIST_MOUNTS"
}

# persist_activate: bind every persistent path (the defaults, then persist.conf's).
# Needs the volume mounted at BERTH_DATA_DIR. Returns non-zero when a path failed; the
# others are bound all the same.
persist_activate() {
  _p_failed=0
  : >"$PERSIST_MOUNTS"
  while read -r _p_name _p_target; do
    persist_bind "$_p_name" "$_p_target" || _p_failed=1
  done <<EOF
$(persist_default_paths)
EOF
  while IFS= read -r _p_target; do
    [ -n "$_p_target" ] || continue
    persist_bind "paths$_p_target" "$_p_target" || _p_failed=1
  done <<EOF
$(persist_conf_paths "$PERSIST_CONF")
EOF
  return "$_p_failed"
}

# persist_deactivate: undo the binds (last first), then make the volume read-only, or at
# least synced, for a power-off. Lazy unmounts: a shell sitting in /root must not keep
# the volume from being made read-only.
persist_deactivate() {
  if [ -r "$PERSIST_MOUNTS" ]; then
    sed -n '1!G;h;$p' "$PERSIST_MOUNTS" | while IFS= read -r _p_target; do
      umount -l "$_p_target" 2>/dev/null
    done
    rm -f "$PERSIST_MOUNTS"
  fi
  sync
  persist_mount_type "$BERTH_DATA_DIR" >/dev/null || return 0
  mount -o remount,ro "$BERTH_DATA_DIR" 2>/dev/null || {
    echo "berth: the data volume is busy; it was synced but stays writable"
    return 0
  }
}
