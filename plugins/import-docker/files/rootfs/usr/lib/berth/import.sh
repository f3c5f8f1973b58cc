# shellcheck shell=sh
# import-docker's library: importing image archives into Docker, remembering what was
# imported, and the wrapper commands. Sourced by `berth import`, `berth images`, the boot
# and hotplug scans and the image watcher. Helper variables start with _i_.
#
# State (persistent when a data volume holds /var/lib/berth):
#   /var/lib/berth/import/archives   one line per imported archive:
#       KEY<TAB>SHA256<TAB>SIZE<TAB>MTIME<TAB>NAME<TAB>IMAGE-IDS(comma-separated)
#     KEY is the archive's file name, size and mtime; an archive whose KEY is known and
#     whose images are all still in Docker is skipped without reading it. Otherwise its
#     SHA256 is compared (a copied or touched archive with the same bytes is skipped too).
#   /var/lib/berth/import/images     one line per image reference imported:
#       REF<TAB>IMAGE-ID<TAB>ARCHIVE<TAB>FROM<TAB>DATE
# Wrappers: /run/berth/wrappers/<name>, regenerated from the images list and Docker.
# Hand-written scripts: /var/lib/berth/bin (persistent) and /run/berth/bin (copied from
# the media's berth/bin/), both ahead of the wrappers on PATH.

IMPORT_STATE=${IMPORT_STATE:-/var/lib/berth/import}
IMPORT_ARCHIVES=$IMPORT_STATE/archives
IMPORT_IMAGES=$IMPORT_STATE/images
WRAPPER_DIR=${WRAPPER_DIR:-/run/berth/wrappers}
# The display GUI programs go to (gui-xpra's `berth gui` writes it): mode=, display=,
# socket=, cookie=.
GUI_CURRENT=${GUI_CURRENT:-/run/berth/gui/current.env}
MEDIA_BIN_DIR=${MEDIA_BIN_DIR:-/run/berth/bin}
USER_BIN_DIR=${USER_BIN_DIR:-/var/lib/berth/bin}
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck disable=SC2034 # used by the callers
IMPORT_LOCK=/run/berth/import.lock
TAB=$(printf '\t')

import_say() {
  echo "berth: import: $*"
  logger -t berth-import "$*" 2>/dev/null || true
}

# human_size BYTES
import_human_size() {
  awk -v b="$1" 'BEGIN {
    split("B KiB MiB GiB TiB", unit, " "); i = 1
    while (b >= 1024 && i < 5) { b /= 1024; i++ }
    printf (i == 1 ? "%d %s" : "%.1f %s"), b, unit[i] }'
}

# import_kind FILE: what the first bytes say: tar, gzip, xz, zstd, bzip2, or nothing.
import_kind() {
  _i_magic=$(head -c 6 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')
  case $_i_magic in
    1f8b*) echo gzip ;;
    fd377a585a00*) echo xz ;;
    28b52ffd*) echo zstd ;;
    425a68*) echo bzip2 ;;
    *)
      if [ "$(dd if="$1" bs=1 skip=257 count=5 2>/dev/null)" = ustar ]; then
        echo tar
      fi
      ;;
  esac
}

# import_kind_from_name FILE: what the name promises (empty: nothing in particular).
import_kind_from_name() {
  case $1 in
    *.tar.gz | *.tgz | *.gz) echo gzip ;;
    *.tar.xz | *.txz | *.xz) echo xz ;;
    *.tar.zst | *.tzst | *.zst) echo zstd ;;
    *.tar.bz2 | *.tbz2 | *.bz2) echo bzip2 ;;
    *.tar) echo tar ;;
  esac
}

# Files of a berth/images/ directory worth trying, in a stable order: hidden files and
# notes (.txt, .md, checksums, signatures) are not archives.
import_candidates() {
  for _i_file in "$1"/*; do
    [ -f "$_i_file" ] || continue
    case ${_i_file##*/} in
      .* | *.txt | *.md | *.sha256 | *.sha256sum | *.asc | *.sig) continue ;;
    esac
    echo "$_i_file"
  done | LC_ALL=C sort
}

import_key() {
  # shellcheck disable=SC2012 # the size and mtime of one named file
  _i_stat=$(stat -c '%s %Y' "$1" 2>/dev/null) || return 1
  echo "${1##*/} $_i_stat" | tr ' ' '|'
}

# import_images_present IDS: every comma-separated image id is still in Docker.
import_images_present() {
  [ -n "$1" ] || return 1
  # shellcheck disable=SC2046 # one id a word
  docker image inspect $(echo "$1" | tr ',' ' ') >/dev/null 2>&1
}

# import_record_lookup FIELD VALUE: the archives line whose FIELD (1 key, 2 sha256)
# equals VALUE.
import_record_lookup() {
  [ -r "$IMPORT_ARCHIVES" ] || return 1
  awk -F '\t' -v f="$1" -v v="$2" '$f == v { line = $0 } END { if (line == "") exit 1; print line }' \
    "$IMPORT_ARCHIVES"
}

# import_replace FILE FIELD1 LINE: FILE with every line whose first field is FIELD1
# replaced by LINE (appended when none was there); atomic.
import_replace() {
  mkdir -p "$IMPORT_STATE"
  {
    [ -r "$1" ] && awk -F '\t' -v k="$2" '$1 != k' "$1"
    printf '%s\n' "$3"
  } >"$1.new" && mv -f "$1.new" "$1"
}

# --- OCI image layouts -----------------------------------------------------------
# Docker's default image store loads only `docker save` archives (it reads manifest.json);
# an OCI image layout (oci-layout, index.json, blobs/) is unpacked, given the manifest.json
# its index describes, and loaded from that.

# import_json_array KEY < JSON: the objects of the array KEY (the first one in the text),
# one a line.
import_json_array() {
  awk -v key="\"$1\"" 'BEGIN { RS = "\001" }
    {
      s = $0; gsub(/[\r\n]/, "", s)
      i = index(s, key); if (i == 0) exit 1
      s = substr(s, i + length(key)); i = index(s, "["); if (i == 0) exit 1
      s = substr(s, i + 1)
      depth = 0; inq = 0; esc = 0; obj = ""
      for (k = 1; k <= length(s); k++) {
        c = substr(s, k, 1)
        if (depth > 0) obj = obj c
        if (inq) { if (esc) esc = 0; else if (c == "\\") esc = 1; else if (c == "\"") inq = 0; continue }
        if (c == "\"") { inq = 1; continue }
        if (c == "{") { if (depth == 0) obj = "{"; depth++ }
        else if (c == "}") { depth--; if (depth == 0) { print obj; obj = "" } }
        else if (c == "]" && depth == 0) break
      }
    }'
}

# import_json_string KEY < JSON: the first string value of KEY.
import_json_string() {
  tr -d '\r\n' | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

# import_oci_entries DIR INDEX NAME: manifest.json entries ({"Config":...}) for the image
# manifests INDEX (index.json or a nested index blob) lists; NAME for nested ones.
import_oci_entries() {
  import_json_array manifests <"$2" | while IFS= read -r _i_desc; do
    _i_digest=$(echo "$_i_desc" | import_json_string digest | sed 's/^sha256://')
    _i_blob=$1/blobs/sha256/$_i_digest
    [ -f "$_i_blob" ] || continue
    _i_ref=$(echo "$_i_desc" | import_json_string io.containerd.image.name)
    if [ -z "$_i_ref" ]; then
      _i_ref=$(echo "$_i_desc" | import_json_string org.opencontainers.image.ref.name)
      # A bare tag is no image name.
      case $_i_ref in
        */* | *:*) ;;
        *) _i_ref= ;;
      esac
    fi
    [ -n "$_i_ref" ] || _i_ref=$3
    case $(echo "$_i_desc" | import_json_string mediaType) in
      *index*)
        import_oci_entries "$1" "$_i_blob" "$_i_ref"
        continue
        ;;
    esac
    _i_manifest=$(tr -d '\r\n' <"$_i_blob")
    _i_config=$(echo "$_i_manifest" |
      sed -n 's/.*"config"[[:space:]]*:[[:space:]]*{[^}]*"digest"[[:space:]]*:[[:space:]]*"sha256:\([0-9a-f]*\)".*/\1/p')
    [ -n "$_i_config" ] || continue
    _i_layers=$(echo "$_i_manifest" | sed 's/.*"layers"[[:space:]]*:[[:space:]]*\[//; s/\].*//' |
      grep -o 'sha256:[0-9a-f]*' | sed 's|^sha256:|"blobs/sha256/|; s|$|"|' | paste -s -d, -)
    printf '{"Config":"blobs/sha256/%s","RepoTags":[%s],"Layers":[%s]}\n' "$_i_config" \
      "${_i_ref:+\"$_i_ref\"}" "$_i_layers"
  done
}

# import_is_oci_layout FILE: FILE holds index.json and oci-layout but no manifest.json.
import_is_oci_layout() {
  _i_list=$(/usr/bin/tar -tf "$1" 2>/dev/null | sed 's|^\./||')
  echo "$_i_list" | grep -qx index.json && echo "$_i_list" | grep -qx oci-layout &&
    ! echo "$_i_list" | grep -qx manifest.json
}

# import_oci_load FILE: unpack the OCI layout FILE next to Docker's data, add manifest.json
# and load that; prints docker load's output (or why it could not).
import_oci_load() {
  _i_root=$(docker info --format '{{.DockerRootDir}}' 2>/dev/null) || _i_root=/var/lib/docker
  _i_tmp=$_i_root/tmp/berth-import.$$
  rm -rf "$_i_tmp" && mkdir -p "$_i_tmp" || return 1
  # GNU tar knows the compression from the bytes.
  if ! /usr/bin/tar -xf "$1" -C "$_i_tmp" 2>&1; then
    rm -rf "$_i_tmp"
    return 1
  fi
  _i_entries=$(import_oci_entries "$_i_tmp" "$_i_tmp/index.json" "" | paste -s -d, -)
  if [ -z "$_i_entries" ]; then
    rm -rf "$_i_tmp"
    echo "its index.json lists no image manifest"
    return 1
  fi
  printf '[%s]\n' "$_i_entries" >"$_i_tmp/manifest.json"
  /usr/bin/tar -cf - -C "$_i_tmp" . | docker load -q 2>&1
  _i_status=$?
  rm -rf "$_i_tmp"
  return "$_i_status"
}

# import_docker_back_after_restart OUTPUT: dockerd was away (OUTPUT says so, or it does not
# answer now) and answers again within 90 s.
import_docker_back_after_restart() {
  case $1 in
    *"Cannot connect to the Docker daemon"*) ;;
    *) docker info >/dev/null 2>&1 && return 1 ;;
  esac
  _i_wait=90
  until docker info >/dev/null 2>&1; do
    [ "$_i_wait" -gt 0 ] || return 1
    sleep 1
    _i_wait=$((_i_wait - 1))
  done
  return 0
}

# import_archive FILE FROM: import one archive (FROM says where it was found, for the
# records and `berth images`). Prints one progress line; status 0 imported, 1 failed,
# 2 skipped as unchanged.
import_archive() {
  _i_file=$1
  _i_from=$2
  _i_name=${_i_file##*/}
  _i_size=$(stat -c %s "$_i_file" 2>/dev/null) || {
    import_say "$_i_name: failed: cannot read it (removed while importing?)"
    return 1
  }
  _i_key=$(import_key "$_i_file") || return 1
  if _i_line=$(import_record_lookup 1 "$_i_key") &&
    import_images_present "$(echo "$_i_line" | cut -f 6)"; then
    import_say "$_i_name: unchanged, skipped"
    return 2
  fi
  _i_kind=$(import_kind "$_i_file")
  if [ -z "$_i_kind" ]; then
    import_say "$_i_name: failed: not an image archive (no tar, gzip, xz, zstd or bzip2 data)"
    return 1
  fi
  _i_named=$(import_kind_from_name "$_i_name")
  if [ -n "$_i_named" ] && [ "$_i_named" != "$_i_kind" ]; then
    import_say "$_i_name: named like $_i_named but holds $_i_kind data; importing it as $_i_kind"
  fi
  _i_sum=$(sha256sum "$_i_file" 2>/dev/null | cut -d' ' -f1)
  if [ -z "$_i_sum" ]; then
    import_say "$_i_name: failed: cannot read it (removed while importing?)"
    return 1
  fi
  if _i_line=$(import_record_lookup 2 "$_i_sum") &&
    import_images_present "$(echo "$_i_line" | cut -f 6)"; then
    import_replace "$IMPORT_ARCHIVES" "$_i_key" \
      "$_i_key$TAB$_i_sum$TAB$_i_size$TAB$(stat -c %Y "$_i_file")$TAB$_i_name$TAB$(echo "$_i_line" | cut -f 6)"
    import_say "$_i_name: same content as an archive imported before, skipped"
    return 2
  fi

  import_say "$_i_name ($(import_human_size "$_i_size"), $_i_kind) from $_i_from ..."
  # docker load tags an image only once all its layers are in, so a broken archive leaves
  # at most untagged layers, which `docker image prune` removes.
  _i_loaded=0
  for _i_try in 1 2; do
    if _i_out=$(docker load -q -i "$_i_file" 2>&1) && echo "$_i_out" | grep -q '^Loaded image'; then
      _i_loaded=1
    elif import_is_oci_layout "$_i_file"; then
      _i_out=$(import_oci_load "$_i_file") && _i_loaded=1
    fi
    [ "$_i_loaded" = 0 ] || break
    # dockerd went away under us (it is restarted by its supervisor): once more when it is
    # back, rather than calling the archive broken.
    import_docker_back_after_restart "$_i_out" || break
    import_say "$_i_name: Docker restarted during the import; trying again"
  done
  if [ "$_i_loaded" = 0 ]; then
    _i_why=$(echo "$_i_out" | grep -v '^$' | tail -n 1)
    case $_i_why in
      *"unexpected EOF"*) _i_why="truncated or damaged archive ($_i_why)" ;;
      *"no space left"*) _i_why="disk full ($_i_why)" ;;
      *"input/output error"* | *"no such file"*) _i_why="read error, medium removed? ($_i_why)" ;;
    esac
    import_say "$_i_name: failed: ${_i_why:-docker load failed}"
    return 1
  fi
  _i_ids=
  _i_refs=
  _i_now=$(date '+%Y-%m-%d %H:%M:%S')
  for _i_ref in $(echo "$_i_out" | sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p'); do
    _i_id=$(docker image inspect --format '{{.Id}}' "$_i_ref" 2>/dev/null) || continue
    _i_ids=${_i_ids:+$_i_ids,}$_i_id
    case $_i_ref in
      sha256:*) ;;
      *)
        _i_refs="$_i_refs $_i_ref"
        import_replace "$IMPORT_IMAGES" "$_i_ref" "$_i_ref$TAB$_i_id$TAB$_i_name$TAB$_i_from$TAB$_i_now"
        ;;
    esac
  done
  if [ -z "$_i_ids" ]; then
    import_say "$_i_name: failed: docker load named no image"
    return 1
  fi
  import_replace "$IMPORT_ARCHIVES" "$_i_key" \
    "$_i_key$TAB$_i_sum$TAB$_i_size$TAB$(stat -c %Y "$_i_file")$TAB$_i_name$TAB$_i_ids"
  import_say "$_i_name: done (${_i_refs# })"
  return 0
}

# import_count STATUS: add import_archive's STATUS to _i_done, _i_skipped or _i_failed.
import_count() {
  case $1 in
    0) _i_done=$((_i_done + 1)) ;;
    2) _i_skipped=$((_i_skipped + 1)) ;;
    *) _i_failed=$((_i_failed + 1)) ;;
  esac
}

# import_dir DIR FROM: every candidate of DIR; counts in _i_done _i_failed _i_skipped.
import_dir() {
  # The list first, then the imports: docker load must not read the list's stdin.
  _i_list=$(import_candidates "$1")
  while IFS= read -r _i_archive; do
    [ -n "$_i_archive" ] || continue
    import_archive "$_i_archive" "$2" </dev/null
    import_count $?
  done <<EOF
$_i_list
EOF
}

# --- hand-written scripts --------------------------------------------------------

# import_bin_dir DIR FROM: copy the scripts of a medium's berth/bin/ to /run/berth/bin
# (copies: the medium may go away), executable.
import_bin_dir() {
  [ -d "$1" ] || return 0
  mkdir -p "$MEDIA_BIN_DIR"
  for _i_script in "$1"/*; do
    [ -f "$_i_script" ] || continue
    _i_base=${_i_script##*/}
    case $_i_base in
      .* | *~) continue ;;
    esac
    if import_is_system_command "$_i_base"; then
      import_say "berth/bin/$_i_base from $2 has the name of a system command, which comes first on PATH"
    fi
    cp "$_i_script" "$MEDIA_BIN_DIR/$_i_base.new" && chmod 755 "$MEDIA_BIN_DIR/$_i_base.new" &&
      mv -f "$MEDIA_BIN_DIR/$_i_base.new" "$MEDIA_BIN_DIR/$_i_base"
  done
}

# --- wrappers --------------------------------------------------------------------

# A command of the system: a busybox applet (Debian's busybox runs its applets before
# looking at PATH) or a program on the system PATH.
import_is_system_command() {
  case $1 in
    berth | docker) return 0 ;;
  esac
  busybox --list 2>/dev/null | grep -qx "$1" && return 0
  PATH=$SYSTEM_PATH command -v "$1" >/dev/null 2>&1
}

import_is_hand_written() {
  [ -e "$USER_BIN_DIR/$1" ] || [ -e "$MEDIA_BIN_DIR/$1" ]
}

# import_json_list TEXT: the strings of a JSON array of strings, one a line (\" and \\
# unescaped; other escapes are not expected in these labels).
import_json_list() {
  printf '%s\n' "$1" | sed 's/^[[:space:]]*\[//; s/\][[:space:]]*$//' |
    awk '{
      n = split($0, parts, /"[[:space:]]*,[[:space:]]*"/)
      for (i = 1; i <= n; i++) {
        s = parts[i]
        sub(/^[[:space:]]*"/, "", s); sub(/"[[:space:]]*$/, "", s)
        gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s)
        if (s != "") print s
      }
    }'
}

# import_quote WORD: WORD in single quotes for a generated script.
import_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# The labels a wrapper honours, in the order of the --format fields below.
IMPORT_LABELS="io.whalebrew.name io.whalebrew.config.environment io.whalebrew.config.volumes
io.whalebrew.config.ports io.whalebrew.config.networks io.whalebrew.config.working_dir
io.whalebrew.config.keep_container_user io.whalebrew.config.missing_volumes io.berth.gui
io.berth.devices io.berth.privileged io.berth.gui.sound io.berth.gui.gpu"

import_label_format() {
  _i_format='{{.Id}}'
  for _i_label in $IMPORT_LABELS; do
    # with: index of a nil map (an image without labels) is a template error.
    _i_format="$_i_format{{\"\\t\"}}{{with .Config.Labels}}{{index . \"$_i_label\"}}{{end}}"
  done
  echo "$_i_format"
}

# shellcheck disable=SC2016 # the $ belong to the generated script
# import_write_wrapper FILE REF ID FIELDS...: the script that runs REF, with what the
# labels ask for fixed in it (FIELDS: the values of IMPORT_LABELS, in order).
import_write_wrapper() {
  _i_target=$1 _i_ref=$2 _i_id=$3
  shift 3
  _i_env=$2 _i_volumes=$3 _i_ports=$4 _i_networks=$5 _i_workdir=$6 _i_keep_user=$7
  _i_missing=$8 _i_gui=$9
  shift 9
  _i_devices=$1 _i_privileged=$2 _i_sound=$3 _i_gpu=$4
  case $_i_gui in
    true | 1 | yes) _i_gui=yes ;;
    *) _i_gui=no ;;
  esac
  {
    echo '#!/bin/sh'
    echo "# $_i_ref ($_i_id): generated by Berth when the image was imported, and"
    echo "# rewritten whenever images change. Your own scripts go in $USER_BIN_DIR."
    echo 'set -eu'
    echo "image=$(import_quote "$_i_ref")"
    echo "workdir=$(import_quote "$_i_workdir")"
    echo "missing_volumes=$(import_quote "${_i_missing:-error}")"
    echo "gui=$_i_gui"
    echo "gui_current=$(import_quote "$GUI_CURRENT")"
    cat <<'EOF'
[ -n "$workdir" ] || workdir=$PWD
# A first argument --gui is the wrapper's own: show this program's windows.
if [ "${1:-}" = --gui ]; then
  gui=yes
  shift
fi
# The caller's arguments, quoted, for after the image name.
args=
for arg in "$@"; do
  args="$args '$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")'"
done
set -- --rm --init -v "$PWD:$workdir" -w "$workdir"
if [ -t 0 ] && [ -t 1 ]; then
  set -- "$@" -it
else
  set -- "$@" -i
fi
# want_volume HOST: whether to mount HOST (whalebrew's missing_volumes: error, skip, mount).
want_volume() {
  [ -e "$1" ] && return 0
  case $missing_volumes in
    skip) return 1 ;;
    mount) mkdir -p "$1" && return 0 ;;
  esac
  echo "${0##*/}: $1 (a volume of $image) does not exist" >&2
  exit 1
}
EOF
    import_json_list "$_i_env" | while IFS= read -r _i_item; do
      echo "set -- \"\$@\" -e $(import_quote "$_i_item")"
    done
    import_json_list "$_i_ports" | while IFS= read -r _i_item; do
      echo "set -- \"\$@\" -p $(import_quote "$_i_item")"
    done
    import_json_list "$_i_networks" | while IFS= read -r _i_item; do
      echo "set -- \"\$@\" --network $(import_quote "$_i_item")"
    done
    import_json_list "$_i_devices" | while IFS= read -r _i_item; do
      echo "set -- \"\$@\" --device $(import_quote "$_i_item")"
    done
    import_json_list "$_i_volumes" | while IFS= read -r _i_item; do
      # ~ and $HOME stand for the caller's home, as in whalebrew.
      case $_i_item in
        "~"/* | '$HOME'/*) echo "spec=\"\$HOME\"$(import_quote "/${_i_item#*/}")" ;;
        *) echo "spec=$(import_quote "$_i_item")" ;;
      esac
      echo 'if want_volume "${spec%%:*}"; then set -- "$@" -v "$spec"; fi'
    done
    case $_i_keep_user in
      true | 1 | yes) ;;
      *) echo 'set -- "$@" -u "$(id -u):$(id -g)"' ;;
    esac
    case $_i_privileged in
      true | 1 | yes) echo 'set -- "$@" --privileged' ;;
    esac
    # Windows: the current display's socket and cookie only (gui-xpra's `berth gui` writes
    # current.env), never all of /tmp/.X11-unix, never the host's network or `xhost +`.
    cat <<'EOF'
if [ "$gui" = yes ]; then
  number=$(sed -n 's/^display=//p' "$gui_current" 2>/dev/null || true)
  socket=$(sed -n 's/^socket=//p' "$gui_current" 2>/dev/null || true)
  cookie=$(sed -n 's/^cookie=//p' "$gui_current" 2>/dev/null || true)
  if [ -z "$number" ] || [ ! -S "$socket" ] || [ ! -f "$cookie" ]; then
    echo "${0##*/}: $image shows windows and no display is running; start one with 'berth gui start' (xpra, xephyr or console)" >&2
    exit 1
  fi
  # MIT-SHM is off in Berth's display servers; these make toolkits not try it either.
  set -- "$@" -e "DISPLAY=:$number" -v "$socket:/tmp/.X11-unix/X$number:ro" \
    -e XAUTHORITY=/tmp/.berth-xauthority -v "$cookie:/tmp/.berth-xauthority:ro" \
    -e QT_X11_NO_MITSHM=1 -e _X11_NO_MITSHM=1
EOF
    case $_i_sound in
      true | 1 | yes) echo '  [ ! -d /dev/snd ] || set -- "$@" --device /dev/snd' ;;
    esac
    case $_i_gpu in
      true | 1 | yes) echo '  [ ! -d /dev/dri ] || set -- "$@" --device /dev/dri' ;;
    esac
    echo 'fi'
    echo 'eval "set -- \"\$@\" \"\$image\" $args"'
    echo 'exec docker run "$@"'
  } >"$_i_target.new"
  chmod 755 "$_i_target.new" && mv -f "$_i_target.new" "$_i_target"
}

# import_wrapper_name REF NAME-LABEL TAKEN: the command name for REF: the label's, else
# the last part of the repository; NAME-docker when that is a system or hand-written
# command; the whole repository with - for / when another image took it (TAKEN: " a b ").
import_wrapper_name() {
  _i_base=${2:-}
  if [ -z "$_i_base" ]; then
    _i_repo=${1%:*}
    _i_base=${_i_repo##*/}
  fi
  case $_i_base in
    '' | *[!A-Za-z0-9._+-]* | .* | -*) return 1 ;;
  esac
  if import_is_system_command "$_i_base" || import_is_hand_written "$_i_base"; then
    _i_base=$_i_base-docker
  fi
  case $3 in
    *" $_i_base "*)
      _i_repo=${1%:*}
      # Without a registry host (a first part with a . or a :, as in docker.io/...).
      case ${_i_repo%%/*} in
        *.* | *:*) _i_repo=${_i_repo#*/} ;;
      esac
      _i_base=$(echo "$_i_repo" | tr '/' '-')
      ;;
  esac
  case $3 in
    *" $_i_base "*) return 1 ;;
  esac
  echo "$_i_base"
}

import_field() {
  printf '%s\n' "$_i_fields" | cut -f "$1"
}

# import_sync_wrappers: one wrapper per imported image still in Docker, none for the rest.
# Says on the console when a name had to change.
import_sync_wrappers() {
  mkdir -p "$WRAPPER_DIR"
  _i_taken=' '
  _i_format=$(import_label_format)
  _i_made=' '
  if [ -r "$IMPORT_IMAGES" ]; then
    # shellcheck disable=SC2013 # one reference a line, without blanks
    for _i_ref in $(cut -f 1 "$IMPORT_IMAGES" | LC_ALL=C sort -u); do
      if ! _i_fields=$(docker image inspect --format "$_i_format" "$_i_ref" 2>&1); then
        case $_i_fields in
          *"No such image"* | *"no such image"*) ;;
          *) import_say "no command for $_i_ref: docker image inspect failed: $_i_fields" ;;
        esac
        continue
      fi
      _i_fields=$(printf '%s\n' "$_i_fields" | sed 's/<no value>//g')
      _i_id=$(printf '%s\n' "$_i_fields" | cut -f 1)
      _i_label_name=$(printf '%s\n' "$_i_fields" | cut -f 2)
      if ! _i_cmd=$(import_wrapper_name "$_i_ref" "$_i_label_name" "$_i_taken"); then
        import_say "no command for $_i_ref: its name is taken or unusable"
        continue
      fi
      _i_plain=${_i_label_name:-$(echo "${_i_ref%:*}" | sed 's|.*/||')}
      if [ "$_i_cmd" != "$_i_plain" ] && [ ! -e "$WRAPPER_DIR/$_i_cmd" ]; then
        import_say "$_i_ref: '$_i_plain' is taken, so its command is '$_i_cmd'"
      fi
      _i_taken="$_i_taken$_i_cmd "
      import_write_wrapper "$WRAPPER_DIR/$_i_cmd" "$_i_ref" "$_i_id" "$(import_field 2)" \
        "$(import_field 3)" "$(import_field 4)" "$(import_field 5)" "$(import_field 6)" \
        "$(import_field 7)" "$(import_field 8)" "$(import_field 9)" "$(import_field 10)" \
        "$(import_field 11)" "$(import_field 12)" "$(import_field 13)" "$(import_field 14)"
      _i_made="$_i_made$_i_cmd "
    done
  fi
  for _i_wrapper in "$WRAPPER_DIR"/*; do
    [ -f "$_i_wrapper" ] || continue
    case $_i_made in
      *" ${_i_wrapper##*/} "*) ;;
      *) rm -f "$_i_wrapper" ;;
    esac
  done
  return 0
}
