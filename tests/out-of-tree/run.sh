#!/bin/bash
# Out-of-tree plugin test: install berth and its SDK into a scratch prefix, build the
# plugin in this directory against that installed SDK, and let the installed berth
# load it and run its hook.
#   run.sh <berth build dir> <scratch dir>
set -euo pipefail
build_dir=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$scratch"
mkdir -p "$scratch"
prefix=$scratch/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
cmake -S "$here" -B "$scratch/plugin-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/plugin-build" >/dev/null
cmake --install "$scratch/plugin-build" >/dev/null

cat >"$scratch/hello.toml" <<'TOML'
[debian]
suite = "trixie"
[[debian.sources]]
uri = "http://deb.debian.org/debian"
suites = ["trixie"]

[hello]
plugin = "hello-marker"
message = "built out of tree"
TOML
# The installed berth must find the plugin on its own (no BERTH_PLUGIN_PATH).
# (Captured first: `grep -q` would close the pipe early and pipefail would see SIGPIPE.)
listing=$(env -u BERTH_PLUGIN_PATH "$prefix/bin/berth" plugins)
grep -q '^hello-marker 1.0.0$' <<<"$listing"
env -u BERTH_PLUGIN_PATH "$prefix/bin/berth" build -c "$scratch/hello.toml" \
  -o "$scratch/out" -w "$scratch/work" --cache "$scratch/cache"
diff -u - "$scratch/out/hello.txt" <<'TEXT'
shipped with the hello-marker plugin
built out of tree
TEXT
echo "out-of-tree plugin: ok"
