#!/bin/bash
# Out-of-tree plugin test: the plugins in this directory (hello-marker, a hook plugin, and
# kernel-tree, a kernel plugin on the SDK's Berth::kernel) built the three ways an author
# can, hello-marker then loaded by a berth that runs its hook (kernel-run.sh builds an image
# with kernel-tree):
#   1. against a full install (berth, plugins, SDK), installed without a prefix of its own:
#      it lands where that berth looks;
#   2. against the SDK alone (`--component sdk`), installed with --prefix elsewhere;
#   3. against the build tree (BerthSDK_DIR=<build>/sdk), loaded from its own build dir.
# Against the SDK alone and the build tree, the author's unit test (hello_marker_test.cpp,
# and kernel_tree_plugin_test.cpp, on the SDK's test doubles) run too.
#   run.sh <berth build dir> <scratch dir>
set -euo pipefail
build_dir=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$scratch"
mkdir -p "$scratch"
# shellcheck source=tests/integration/private-apt.sh
. "$here/../integration/private-apt.sh"
{
  debian_config_table
  cat <<'TOML'

[hello]
plugin = "hello-marker"
message = "built out of tree"
TOML
} >"$scratch/hello.toml"

# build_with NAME BERTH [PLUGIN_PATH]: a build of hello.toml must write the greeting the
# plugin ships in its data directory, plus the config's line.
build_with() {
  local name=$1 berth=$2 plugin_path=${3:-}
  if [ -n "$plugin_path" ]; then
    BERTH_PLUGIN_PATH=$plugin_path "$berth" build -c "$scratch/hello.toml" \
      -o "$scratch/out-$name" -w "$scratch/work-$name" --cache "$scratch/cache"
  else
    env -u BERTH_PLUGIN_PATH "$berth" build -c "$scratch/hello.toml" \
      -o "$scratch/out-$name" -w "$scratch/work-$name" --cache "$scratch/cache"
  fi
  diff -u - "$scratch/out-$name/hello.txt" <<'TEXT'
shipped with the hello-marker plugin
built out of tree
TEXT
}

# 1. Full install.
prefix=$scratch/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
cmake -S "$here" -B "$scratch/plugin-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/plugin-build" >/dev/null
cmake --install "$scratch/plugin-build" >/dev/null
# The installed berth must find the plugin on its own (no BERTH_PLUGIN_PATH).
# (Captured first: `grep -q` would close the pipe early and pipefail would see SIGPIPE.)
listing=$(env -u BERTH_PLUGIN_PATH "$prefix/bin/berth" plugins)
grep -q '^hello-marker 1.0.0$' <<<"$listing"
grep -q '^kernel-tree 1.0.0$' <<<"$listing"
build_with installed "$prefix/bin/berth"

# 2. The SDK alone: headers and CMake files, no berth, no plugins.
sdk=$scratch/sdk-only
cmake --install "$build_dir" --component sdk --prefix "$sdk" >/dev/null
test -f "$sdk/include/berth/sdk.hpp"
test ! -e "$sdk/bin/berth"
test ! -e "$sdk/lib/berth/plugins"
sdk_kib=$(du -sk "$sdk" | cut -f1)
[ "$sdk_kib" -lt 1024 ] || { echo "the SDK alone installs $sdk_kib KiB" >&2; exit 1; }
cmake -S "$here" -B "$scratch/sdk-build" -DCMAKE_PREFIX_PATH="$sdk" >/dev/null
cmake --build "$scratch/sdk-build" >/dev/null
# The authors' unit tests need nothing but the SDK alone (its test doubles, Berth::kernel).
"$scratch/sdk-build/hello-marker-test"
"$scratch/sdk-build/kernel-tree-test"
elsewhere=$scratch/elsewhere
cmake --install "$scratch/sdk-build" --prefix "$elsewhere" >/dev/null
test -f "$elsewhere/lib/berth/plugins/hello-marker.so"
test -f "$elsewhere/lib/berth/plugins/hello-marker/greeting.txt"
test -f "$elsewhere/lib/berth/plugins/kernel-tree.so"
build_with sdk-only "$prefix/bin/berth" "$elsewhere/lib/berth/plugins"

# 3. The build tree: the plugin's build directory holds the .so and a link to its data.
cmake -S "$here" -B "$scratch/tree-build" -DBerthSDK_DIR="$build_dir/sdk" >/dev/null
cmake --build "$scratch/tree-build" >/dev/null
"$scratch/tree-build/hello-marker-test"
"$scratch/tree-build/kernel-tree-test"
build_with build-tree "$build_dir/bin/berth" "$scratch/tree-build"
echo "out-of-tree plugin: ok (installed, SDK alone ${sdk_kib} KiB, build tree)"
