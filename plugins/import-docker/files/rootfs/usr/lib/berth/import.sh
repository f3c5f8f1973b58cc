# shellcheck shell=sh
# import-docker's library: importing image archives into Docker, remembering what was
# imported and from where, which sources are trusted, and the commands. Sourced by
# `berth import`, `berth images`, `berth trust`, the boot and hotplug scans, the image
# watcher and run-image. Helper variables start with _i_.
#
# State (persistent when a data volume holds /var/lib/berth):
#   /var/lib/berth/import/archives   one line per imported archive:
#       KEY<TAB>SHA256<TAB>SIZE<TAB>MTIME<TAB>NAME<TAB>IMAGE-IDS(comma-separated)
#     KEY is the archive's file name, size and mtime; an archive whose KEY is known and
#     whose images are all still in Docker is skipped without reading it. Otherwise its
#     SHA256 is compared (a copied or touched archive with the same bytes is skipped too).
#   /var/lib/berth/import/images     one line per image reference imported:
#       REF<TAB>IMAGE-ID<TAB>ARCHIVE<TAB>FROM<TAB>DATE<TAB>TRUST (trusted or untrusted)
#   /var/lib/berth/import/commands   one line per command name handed out:
#       NAME<TAB>REF; a name stays with its image until the image leaves Docker.
#   /var/lib/berth/trust             the sources the user trusts: LABEL=x or UUID=x lines
# Names of files, labels and images are cleaned (printable ASCII, no tab) before they are
# written to a record or the console. No image metadata is ever written into shell code:
# a command is a two-line stub naming a validated command name and image reference, and
# run-image reads the image's labels when it runs (labels.jq).
# Commands: /run/berth/wrappers/<name>. Hand-written scripts: /var/lib/berth/bin
# (persistent) and /run/berth/bin (copied from a trusted medium's berth/bin/), both ahead
# of the commands on PATH.
# BERTH_TEST_ROOT (unset on a real system) is put in front of these paths, for unit tests.

IMPORT_STATE=${BERTH_TEST_ROOT:-}/var/lib/berth/import
IMPORT_ARCHIVES=$IMPORT_STATE/archives
IMPORT_IMAGES=$IMPORT_STATE/images
IMPORT_COMMANDS=$IMPORT_STATE/commands
# The FROM of images the build put on the boot medium, and of their copies on the data volume.
IMPORT_FROM_MEDIUM="the boot medium"
IMPORT_FROM_DATA="the data volume"
TRUST_FILE=${BERTH_TEST_ROOT:-}/var/lib/berth/trust
IMPORT_LIB=${BERTH_TEST_ROOT:-}/usr/lib/berth
# shellcheck source=plugins/fs-squashfs/files/both/usr/lib/berth/lib.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/lib.sh"
WRAPPER_DIR=${BERTH_TEST_ROOT:-}/run/berth/wrappers
MEDIA_BIN_DIR=${BERTH_TEST_ROOT:-}/run/berth/bin
USER_BIN_DIR=${BERTH_TEST_ROOT:-}/var/lib/berth/bin
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck disable=SC2034 # used by the callers
IMPORT_LOCK=/run/berth/import.lock
# Bounds on what an archive may make the importer do (variables for the tests).
IMPORT_TIME_LIMIT=${IMPORT_TIME_LIMIT:-1800}       # seconds per archive
IMPORT_MAX_MEMBERS=${IMPORT_MAX_MEMBERS:-200000}   # tar members
IMPORT_MAX_BYTES=${IMPORT_MAX_BYTES:-68719476736}  # unpacked bytes (64 GiB)
IMPORT_MAX_JSON=${IMPORT_MAX_JSON:-4194304}        # bytes of one index or manifest we parse
IMPORT_MAX_DEPTH=4                                 # OCI indexes within indexes
TAB=$(printf '\t')

# import_clean TEXT: TEXT with every byte outside printable ASCII (tabs, newlines, escape
# sequences, UTF-8) as '?': what reaches the console and the records.
import_clean() {
  printf '%s' "$1" | LC_ALL=C tr -c ' -~' '?'
}

import_say() {
  _i_said=$(import_clean "$*")
  echo "berth: import: $_i_said"
  logger -t berth-import "$_i_said" 2>/dev/null || true
}

# human_size BYTES
import_human_size() {
  awk -v b="$1" 'BEGIN {
    split("B KiB MiB GiB TiB", unit, " "); i = 1
    while (b >= 1024 && i < 5) { b /= 1024; i++ }
    printf (i == 1 ? "%d %s" : "%.1f %s"), b, unit[i] }'
}

# import_valid_name NAME: a command name: letters, digits, . _ + -, not starting with .
# or -, at most 64 bytes.
import_valid_name() {
  case $1 in
    '' | *[!A-Za-z0-9._+-]* | .* | -*) return 1 ;;
  esac
  [ "${#1}" -le 64 ]
}

# import_valid_ref REF: an image reference as Docker writes them (repository[:tag]),
# safe to put in single quotes and on a command line.
import_valid_ref() {
  case $1 in
    '' | *[!A-Za-z0-9._/:@-]* | [./:@-]*) return 1 ;;
  esac
  [ "${#1}" -le 255 ]
}

# import_valid_digest TEXT: sha256: and 64 lowercase hex digits.
import_valid_digest() {
  case $1 in
    sha256:*) ;;
    *) return 1 ;;
  esac
  case ${1#sha256:} in
    *[!0-9a-f]*) return 1 ;;
  esac
  [ "${#1}" -eq 71 ]
}

# --- trust ---------------------------------------------------------------------------

# import_valid_label LABEL: a filesystem label `berth trust` accepts.
import_valid_label() {
  case $1 in
    '' | *[!A-Za-z0-9._-]*) return 1 ;;
  esac
  [ "${#1}" -le 64 ]
}

# import_source_trusted UUID LABEL: the user trusts the filesystem with this UUID or label.
import_source_trusted() {
  [ -r "$TRUST_FILE" ] || return 1
  if [ -n "$1" ] && grep -qxF "UUID=$1" "$TRUST_FILE"; then
    return 0
  fi
  import_valid_label "$2" && grep -qxF "LABEL=$2" "$TRUST_FILE"
}

# import_trust_hint FROM: how to trust the source a record's FROM names.
import_trust_hint() {
  case $1 in
    /dev/*' "'*'"')
      _i_label=${1#*' "'}
      echo "allow it with 'berth trust ${_i_label%'"'}' (or 'berth trust ${1%%' '*}'), then 'berth import'"
      ;;
    /dev/*) echo "allow it with 'berth trust ${1%%' '*}', then 'berth import'" ;;
    *) echo "allow it with 'berth import --trust $1'" ;;
  esac
}

# import_is_trusted TRUST: whether a record's TRUST field means trusted.
import_is_trusted() {
  [ "$1" = trusted ]
}

# --- archives ----------------------------------------------------------------------

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
# notes (.txt, .md, checksums, signatures) are not archives, nor are symbolic links.
import_candidates() {
  for _i_file in "$1"/*; do
    if [ ! -f "$_i_file" ] || [ -L "$_i_file" ]; then
      continue
    fi
    case ${_i_file##*/} in
      .* | *.txt | *.md | *.sha256 | *.sha256sum | *.asc | *.sig) continue ;;
    esac
    # One name a line: a name with a newline is no archive of ours.
    case ${_i_file##*/} in
      *'
'*)
        import_say "$(import_clean "${_i_file##*/}"): skipped: a newline in the file name"
        continue
        ;;
    esac
    echo "$_i_file"
  done | LC_ALL=C sort
}

# import_key FILE: the archive's cleaned name, size and mtime.
import_key() {
  _i_stat=$(stat -c '%s|%Y' "$1" 2>/dev/null) || return 1
  echo "$(import_clean "${1##*/}" | tr '|' '?')|$_i_stat"
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

# import_from_build REF ID: whether REF was imported as image ID from the boot medium, or
# from the data volume (where `berth install` copies the medium's images), and is trusted:
# what the build put there, never what a stick brought. gui-xpra asks this before an image
# may become a display by its label.
import_from_build() {
  [ -r "$IMPORT_IMAGES" ] || return 1
  awk -F '\t' -v r="$1" -v id="$2" -v medium="$IMPORT_FROM_MEDIUM" -v data="$IMPORT_FROM_DATA" \
    '$1 == r && $2 == id && $6 == "trusted" && ($4 == medium || $4 == data) { found = 1 }
     END { exit !found }' "$IMPORT_IMAGES"
}

# import_image_record REF: the images line of REF.
import_image_record() {
  [ -r "$IMPORT_IMAGES" ] || return 1
  awk -F '\t' -v r="$1" '$1 == r { line = $0 } END { if (line == "") exit 1; print line }' \
    "$IMPORT_IMAGES"
}

# import_replace FILE FIELD1 LINE: FILE with every line whose first field is FIELD1
# replaced by LINE (appended when none was there); atomic.
import_replace() {
  mkdir -p "${1%/*}"
  {
    [ -r "$1" ] && awk -F '\t' -v k="$2" '$1 != k' "$1"
    printf '%s\n' "$3"
  } >"$1.new" && mv -f "$1.new" "$1"
}

# import_mark_trusted IDS: the images of these ids (comma-separated) become trusted: an
# archive imported from an untrusted stick was found again on a trusted source.
import_mark_trusted() {
  [ -r "$IMPORT_IMAGES" ] || return 0
  awk -F '\t' -v OFS='\t' -v ids=",$1," 'index(ids, "," $2 ",") { $6 = "trusted" } { print }' \
    "$IMPORT_IMAGES" >"$IMPORT_IMAGES.new" && mv -f "$IMPORT_IMAGES.new" "$IMPORT_IMAGES"
}

# import_ids_trusted IDS: every image record of these ids (comma-separated) is trusted.
import_ids_trusted() {
  [ -r "$IMPORT_IMAGES" ] || return 1
  awk -F '\t' -v ids=",$1," 'index(ids, "," $2 ",") && $6 != "trusted" { bad = 1 } END { exit bad }' \
    "$IMPORT_IMAGES"
}

# import_check_members FILE: every member of the tar FILE (compressed or not) is a regular
# file, a directory, or a symbolic link to another member (relative, never out of the
# archive: `docker save` of Engine 24 and older links a layer it already wrote), and none of
# the index files is a link; at most IMPORT_MAX_MEMBERS of them, unpacking to at most
# IMPORT_MAX_BYTES. Prints why not. A FIFO would stop whoever reads it for good; a device,
# a hard link or a link out of the archive could lead a reader out of it.
import_check_members() {
  # --numeric-owner: an owner name with a blank would shift the size column. GNU tar
  # escapes control characters in member names, so one member is one line.
  if ! _i_listing=$(/usr/bin/tar --numeric-owner -tvf "$1" 2>&1); then
    # tar's first complaint says what is wrong; its last only that it gave up.
    echo "truncated or damaged archive ($(printf '%s\n' "$_i_listing" | sed -n \
      '/not recoverable/d; /Exiting with failure/d; s|^/usr/bin/tar: |tar: |p' | head -n 1))"
    return 1
  fi
  printf '%s\n' "$_i_listing" | awk -v max_n="$IMPORT_MAX_MEMBERS" -v max_b="$IMPORT_MAX_BYTES" '
    function refuse(what) {
      printf "it holds %s (%s); only regular files, directories and links between members are read\n", what, name
      exit 1
    }
    # inside(NAME, TARGET): the relative link NAME -> TARGET stays within the archive.
    function inside(link, target,    depth, count, parts, i) {
      if (target ~ /^\//) return 0
      depth = gsub("/", "/", link)
      count = split(target, parts, "/")
      for (i = 1; i <= count; i++) {
        if (parts[i] == "..") { if (--depth < 0) return 0 }
        else if (parts[i] != "." && parts[i] != "") depth++
      }
      return 1
    }
    $0 == "" { next }
    {
      type = substr($0, 1, 1)
      name = $0; sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, "", name)
      if (type == "l") {
        if (split(name, ends, " -> ") != 2) refuse("a symbolic link with an unclear name")
        link = ends[1]; sub(/^\.\//, "", link)
        if (link == "manifest.json" || link == "index.json" || link == "oci-layout" || link == "repositories")
          refuse("a symbolic link in place of an index file")
        if (!inside(link, ends[2])) refuse("a symbolic link out of the archive")
      } else if (type != "-" && type != "d") {
        sub(/ link to .*/, "", name)
        refuse(type == "p" ? "a FIFO" : type == "h" ? "a hard link" : \
          type == "c" || type == "b" ? "a device" : "a special file")
      }
      n++; bytes += $3
      if (n > max_n) { printf "more than %d members\n", max_n; exit 1 }
      if (bytes > max_b) { printf "it unpacks to more than %d bytes\n", max_b; exit 1 }
    }'
}

# --- OCI image layouts -----------------------------------------------------------
# Docker's default image store loads only `docker save` archives (it reads manifest.json);
# an OCI image layout (oci-layout, index.json, blobs/) is unpacked, given the manifest.json
# its index describes, and loaded from that. Every JSON file is read with jq, bounded in
# size; every digest must be sha256: and 64 hex digits before it names a file; nested
# indexes are followed at most IMPORT_MAX_DEPTH deep and never twice.

# import_small_json FILE: FILE is a regular file of at most IMPORT_MAX_JSON bytes.
import_small_json() {
  [ -f "$1" ] && [ ! -L "$1" ] || return 1
  [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -le "$IMPORT_MAX_JSON" ]
}

# import_oci_entries DIR INDEX NAME DEPTH SEEN: manifest.json entries ({"Config":...}) for
# the image manifests INDEX (index.json or a nested index blob) lists; NAME for nested
# ones; SEEN the digests of the indexes above. Why not on stderr, status 1. A subshell:
# it calls itself.
import_oci_entries() (
  dir=$1 index=$2 name=$3 depth=$4 seen=$5
  if [ "$depth" -gt "$IMPORT_MAX_DEPTH" ]; then
    echo "its indexes are nested more than $IMPORT_MAX_DEPTH deep" >&2
    return 1
  fi
  import_small_json "$index" || {
    echo "${index#"$dir"/}: not a file of at most $IMPORT_MAX_JSON bytes" >&2
    return 1
  }
  # @tsv escapes tabs and newlines: one descriptor a line, whatever the values hold.
  if ! descriptors=$(jq -r '(.manifests // [])[:1000][] | [.digest, .mediaType,
      .annotations["io.containerd.image.name"], .annotations["org.opencontainers.image.ref.name"]]
      | map(if type == "string" then . else "" end) | @tsv' "$index" 2>&1); then
    echo "${index#"$dir"/}: not an OCI index ($(printf '%s' "$descriptors" | head -n 1))" >&2
    return 1
  fi
  printf '%s\n' "$descriptors" | while IFS="$TAB" read -r digest type containerd_name ref_name; do
    [ -n "$digest" ] || continue
    if ! import_valid_digest "$digest"; then
      echo "a descriptor's digest is not sha256: and 64 hex digits" >&2
      return 1
    fi
    blob=$dir/blobs/sha256/${digest#sha256:}
    ref=$containerd_name
    if [ -z "$ref" ]; then
      # A bare tag is no image name.
      case $ref_name in
        */* | *:*) ref=$ref_name ;;
      esac
    fi
    if [ -n "$ref" ] && ! import_valid_ref "$ref"; then
      echo "an image name in its index is not a valid reference" >&2
      return 1
    fi
    [ -n "$ref" ] || ref=$name
    case $type in
      *index*)
        case $seen in
          *" $digest "*)
            echo "its index lists itself (a loop)" >&2
            return 1
            ;;
        esac
        import_oci_entries "$dir" "$blob" "$ref" $((depth + 1)) "$seen$digest " || return 1
        continue
        ;;
    esac
    import_small_json "$blob" || continue
    digests=$(jq -r '.config.digest, .layers[:10000][].digest' "$blob" 2>/dev/null) || {
      echo "blob ${digest#sha256:}: not an image manifest" >&2
      return 1
    }
    config=''
    layers=
    for layer in $digests; do
      if ! import_valid_digest "$layer"; then
        echo "a manifest's digest is not sha256: and 64 hex digits" >&2
        return 1
      fi
      if [ -z "$config" ]; then
        config=blobs/sha256/${layer#sha256:}
      else
        layers="${layers:+$layers,}\"blobs/sha256/${layer#sha256:}\""
      fi
    done
    [ -n "$config" ] || continue
    printf '{"Config":"%s","RepoTags":[%s],"Layers":[%s]}\n' "$config" "${ref:+\"$ref\"}" "$layers"
  done
)

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
  # GNU tar knows the compression from the bytes; the members were checked before.
  if ! /usr/bin/tar --no-same-owner --no-same-permissions -xf "$1" -C "$_i_tmp" 2>&1; then
    rm -rf "$_i_tmp"
    return 1
  fi
  if ! _i_entries=$(import_oci_entries "$_i_tmp" "$_i_tmp/index.json" "" 1 " " 2>"$_i_tmp.why"); then
    echo "bad OCI layout: $(head -n 1 "$_i_tmp.why")"
    rm -rf "$_i_tmp" "$_i_tmp.why"
    return 1
  fi
  rm -f "$_i_tmp.why"
  _i_entries=$(printf '%s\n' "$_i_entries" | paste -s -d, -)
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
  # A look a second: each docker CLI start costs the restarting dockerd CPU.
  berth_wait_every 10 90 import_docker_answers
}

import_docker_answers() {
  docker info >/dev/null 2>&1
}

# import_keep_trusted_names REF NEW-ID: an untrusted archive loaded REF over an image a
# trusted source imported under that name: the name goes back to the trusted image (the
# untrusted one stays loaded under its id). Status 0 when it did so.
import_keep_trusted_names() {
  _i_old=$(import_image_record "$1") || return 1
  import_is_trusted "$(printf '%s\n' "$_i_old" | cut -f 6)" || return 1
  _i_old_id=$(printf '%s\n' "$_i_old" | cut -f 2)
  [ "$_i_old_id" != "$2" ] || return 1
  docker image inspect "$_i_old_id" >/dev/null 2>&1 || return 1
  docker tag "$_i_old_id" "$1" >/dev/null 2>&1
}

# import_archive FILE FROM TRUST: import one archive (FROM says where it was found, for
# the records and `berth images`; TRUST is trusted or untrusted). Prints one progress
# line; status 0 imported, 1 failed, 2 skipped as unchanged.
import_archive() {
  _i_file=$1
  _i_from=$(import_clean "$2")
  _i_trust=$3
  _i_name=$(import_clean "${_i_file##*/}")
  _i_size=$(stat -c %s "$_i_file" 2>/dev/null) || {
    import_say "$_i_name: failed: cannot read it (removed while importing?)"
    return 1
  }
  _i_key=$(import_key "$_i_file") || return 1
  # Known by name, size and time: skipped unread, unless a trusted source would make
  # untrusted images trusted; that takes the same bytes (the SHA-256 below), not a name.
  if _i_line=$(import_record_lookup 1 "$_i_key") &&
    import_images_present "$(echo "$_i_line" | cut -f 6)" &&
    { ! import_is_trusted "$_i_trust" || import_ids_trusted "$(echo "$_i_line" | cut -f 6)"; }; then
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
    import_is_trusted "$_i_trust" && import_mark_trusted "$(echo "$_i_line" | cut -f 6)"
    import_say "$_i_name: same content as an archive imported before, skipped"
    return 2
  fi

  import_say "$_i_name ($(import_human_size "$_i_size"), $_i_kind) from $_i_from ..."
  if ! _i_why=$(import_check_members "$_i_file"); then
    import_say "$_i_name: failed: $_i_why"
    return 1
  fi
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
    import_valid_digest "$_i_id" || continue
    _i_ids=${_i_ids:+$_i_ids,}$_i_id
    case $_i_ref in
      sha256:*) continue ;;
    esac
    if ! import_valid_ref "$_i_ref"; then
      import_say "$_i_name: an image name with unusual characters, kept as ${_i_id#sha256:} only"
      continue
    fi
    if ! import_is_trusted "$_i_trust" && import_keep_trusted_names "$_i_ref" "$_i_id"; then
      import_say "$_i_name: $_i_ref is the name of an image from a trusted source; it stays with that one (this one is ${_i_id#sha256:})"
      continue
    fi
    _i_refs="$_i_refs $_i_ref"
    import_replace "$IMPORT_IMAGES" "$_i_ref" \
      "$_i_ref$TAB$_i_id$TAB$_i_name$TAB$_i_from$TAB$_i_now$TAB$_i_trust"
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

# import_archive_limited FILE FROM TRUST: import_archive in a session of its own, stopped
# with everything it started after IMPORT_TIME_LIMIT seconds; neither holds the import
# lock (fd 9), so a stuck archive never keeps the next scan waiting. Same status.
import_archive_limited() {
  # shellcheck disable=SC2016 # for the inner shell
  setsid sh -c '. "$0/import.sh" && import_archive "$@"' "$IMPORT_LIB" "$@" 9>&- &
  _i_worker=$!
  # shellcheck disable=SC2016 # for the inner shell
  setsid sh -c 'sleep "$0"; kill -TERM "-$1" 2>/dev/null; sleep 5; kill -KILL "-$1" 2>/dev/null' \
    "$IMPORT_TIME_LIMIT" "$_i_worker" </dev/null >/dev/null 2>&1 9>&- &
  _i_watchdog=$!
  wait "$_i_worker"
  _i_status=$?
  # The watchdog's group; or the watchdog alone when a worker that ended at once beat its
  # setsid (no group yet, so no sleep either): left alive it would sleep out the limit,
  # holding up this wait, and then signal a process group whose number may be reused.
  kill -TERM "-$_i_watchdog" 2>/dev/null || kill -TERM "$_i_watchdog" 2>/dev/null
  wait "$_i_watchdog" 2>/dev/null
  case $_i_status in
    0 | 1 | 2) return "$_i_status" ;;
  esac
  import_say "$(import_clean "${1##*/}"): failed: not done after $IMPORT_TIME_LIMIT s, stopped"
  return 1
}

# import_count STATUS: add import_archive's STATUS to _i_done, _i_skipped or _i_failed.
import_count() {
  case $1 in
    0) _i_done=$((_i_done + 1)) ;;
    2) _i_skipped=$((_i_skipped + 1)) ;;
    *) _i_failed=$((_i_failed + 1)) ;;
  esac
}

# import_dir DIR FROM TRUST: every candidate of DIR; counts in _i_done _i_failed
# _i_skipped. The commands of each archive's images appear as soon as it is in.
import_dir() {
  # The list first, then the imports: docker load must not read the list's stdin.
  _i_list=$(import_candidates "$1")
  while IFS= read -r _i_archive; do
    [ -n "$_i_archive" ] || continue
    import_archive_limited "$_i_archive" "$2" "$3" </dev/null
    _i_status=$?
    import_count "$_i_status"
    [ "$_i_status" != 0 ] || import_sync_wrappers
  done <<EOF
$_i_list
EOF
}

# --- hand-written scripts --------------------------------------------------------

# import_bin_dir DIR FROM TRUST: copy the scripts of a trusted medium's berth/bin/ to
# /run/berth/bin (copies: the medium may go away), executable. Regular files only.
import_bin_dir() {
  [ -d "$1" ] || return 0
  if ! import_is_trusted "$3"; then
    import_say "berth/bin/ on $2 is not put on PATH: the source is not trusted; $(import_trust_hint "$2")"
    return 0
  fi
  mkdir -p "$MEDIA_BIN_DIR"
  for _i_script in "$1"/*; do
    _i_base=${_i_script##*/}
    [ -f "$_i_script" ] || continue
    if [ -L "$_i_script" ] || ! import_valid_name "$_i_base"; then
      import_say "berth/bin/$(import_clean "$_i_base") on $2: skipped: not a plain file with a plain name"
      continue
    fi
    if import_is_system_command "$_i_base"; then
      import_say "berth/bin/$_i_base from $2 has the name of a system command, which comes first on PATH"
    fi
    cp "$_i_script" "$MEDIA_BIN_DIR/$_i_base.new" && chmod 755 "$MEDIA_BIN_DIR/$_i_base.new" &&
      mv -f "$MEDIA_BIN_DIR/$_i_base.new" "$MEDIA_BIN_DIR/$_i_base"
  done
}

# --- labels ------------------------------------------------------------------------

# import_labels ID: what the labels of image ID ask for, one "KIND VALUE" a line (see
# labels.jq); no value holds a control character.
import_labels() {
  _i_json=$(docker image inspect --format '{{json .Config.Labels}}' "$1" 2>/dev/null) || return 1
  printf '%s\n' "$_i_json" | jq -r -f "$IMPORT_LIB/labels.jq"
}

# import_asks LINES: the privileges among labels' LINES (import_labels), comma-separated:
# what an untrusted image is not given.
import_asks() {
  printf '%s\n' "$1" | awk '
    $1 == "priv" { a["1"] = ", --privileged" }
    $1 == "dev" { a["2"] = a["2"] ", device " $2 }
    $1 == "vol" { a["3"] = a["3"] ", volume " $2 }
    $1 == "port" { a["4"] = a["4"] ", port " $2 }
    $1 == "net" { a["5"] = a["5"] ", network " $2 }
    $1 == "keepuser" { a["6"] = ", its own user" }
    $1 == "gui" { a["7"] = ", the display" }
    $1 == "sound" { a["8"] = ", sound" }
    $1 == "gpu" { a["9"] = ", the GPU" }
    END { for (i = 1; i <= 9; i++) s = s a[i ""]; print substr(s, 3) }'
}

# --- commands ----------------------------------------------------------------------

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

# import_wrapper_name REF NAME-LABEL TAKEN: the command name for REF: the label's, else
# the last part of the repository; NAME-docker when that is a system or hand-written
# command; the whole repository with - for / when another image took it (TAKEN: " a b ").
import_wrapper_name() {
  _i_base=${2:-}
  if [ -z "$_i_base" ]; then
    _i_repo=${1%:*}
    _i_base=${_i_repo##*/}
  fi
  import_valid_name "$_i_base" || return 1
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
  import_valid_name "$_i_base" || return 1
  case $3 in
    *" $_i_base "*) return 1 ;;
  esac
  echo "$_i_base"
}

# import_write_stub NAME REF: the command NAME runs REF through run-image. Both were
# validated (import_valid_name, import_valid_ref): no quote can end the quoting.
import_write_stub() {
  _i_stub=$(printf '#!/bin/sh\nexec %s/run-image %s %s "$@"\n' "$IMPORT_LIB" "'$1'" "'$2'")
  [ "$(cat "$WRAPPER_DIR/$1" 2>/dev/null)" != "$_i_stub" ] || return 0
  printf '%s\n' "$_i_stub" >"$WRAPPER_DIR/$1.new" && chmod 755 "$WRAPPER_DIR/$1.new" &&
    mv -f "$WRAPPER_DIR/$1.new" "$WRAPPER_DIR/$1"
}

# import_live_images: "REF<TAB>ID<TAB>TRUST<TAB>FROM" for every imported image still in
# Docker under the id it was imported as: trusted ones first, each group in import order.
# One `docker images` for all (each docker call takes a while on a slow machine).
import_live_images() {
  [ -r "$IMPORT_IMAGES" ] || return 0
  _i_tags=$(docker images --no-trunc --format '{{.Repository}}:{{.Tag}}{{"\t"}}{{.ID}}' 2>/dev/null) ||
    return 0
  printf '%s\n' "$_i_tags" | awk -F '\t' -v OFS='\t' '
    NR == FNR { live[$1 "\t" $2] = 1; next }
    FNR == 1 { pass++ }
    !(($1 "\t" $2) in live) { next }
    (pass == 1) == ($6 == "trusted") { print $1, $2, ($6 == "" ? "untrusted" : $6), $4 }' \
    - "$IMPORT_IMAGES" "$IMPORT_IMAGES"
}

# import_sync_wrappers: one command per imported image still in Docker, none for the
# rest. A name once given stays with its image; new images get the names left, trusted
# ones first. Says on the console when a name had to change, and what an untrusted
# image asks for and is not given.
import_sync_wrappers() {
  mkdir -p "$WRAPPER_DIR" "$IMPORT_STATE"
  _i_live=$(import_live_images)
  # The names kept: those whose image is still here.
  _i_kept=$(printf '%s\n' "$_i_live" | awk -F '\t' 'NR == FNR { live[$1] = 1; next } live[$2]' \
    - "$IMPORT_COMMANDS" 2>/dev/null)
  printf '%s\n' "$_i_kept" | grep -v '^$' >"$IMPORT_COMMANDS.new" || true
  _i_taken=" $(printf '%s\n' "$_i_kept" | cut -f 1 | tr '\n' ' ')"
  while IFS="$TAB" read -r _i_ref _i_id _i_trust _i_from; do
    [ -n "$_i_ref" ] || continue
    printf '%s\n' "$_i_kept" | cut -f 2 | grep -qxF "$_i_ref" && continue
    _i_labels=$(import_labels "$_i_id") || _i_labels=
    _i_label_name=$(printf '%s\n' "$_i_labels" | sed -n 's/^name //p' | head -n 1)
    if ! _i_cmd=$(import_wrapper_name "$_i_ref" "$_i_label_name" "$_i_taken"); then
      import_say "no command for $_i_ref: its name is taken or unusable"
      continue
    fi
    _i_plain=${_i_label_name:-$(echo "${_i_ref%:*}" | sed 's|.*/||')}
    if [ "$_i_cmd" != "$_i_plain" ]; then
      import_say "$_i_ref: '$_i_plain' is taken, so its command is '$_i_cmd'"
    fi
    if ! import_is_trusted "$_i_trust"; then
      _i_asks=$(import_asks "$_i_labels")
      [ -z "$_i_asks" ] ||
        import_say "$_i_ref is from an untrusted source ($_i_from): '$_i_cmd' runs without what its labels ask ($_i_asks); $(import_trust_hint "$_i_from")"
    fi
    _i_taken="$_i_taken$_i_cmd "
    printf '%s\t%s\n' "$_i_cmd" "$_i_ref" >>"$IMPORT_COMMANDS.new"
  done <<EOF
$_i_live
EOF
  mv -f "$IMPORT_COMMANDS.new" "$IMPORT_COMMANDS"
  while IFS="$TAB" read -r _i_cmd _i_ref; do
    if import_valid_name "$_i_cmd" && import_valid_ref "$_i_ref"; then
      import_write_stub "$_i_cmd" "$_i_ref"
    fi
  done <"$IMPORT_COMMANDS"
  for _i_wrapper in "$WRAPPER_DIR"/*; do
    [ -f "$_i_wrapper" ] || continue
    cut -f 1 "$IMPORT_COMMANDS" | grep -qxF "${_i_wrapper##*/}" || rm -f "$_i_wrapper"
  done
  return 0
}
