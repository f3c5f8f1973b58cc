#!/bin/sh
# Style gates for `make check` and CI: shellcheck on every shell script in the repo,
# and clang-format (the repo's .clang-format) on every C++ file.
set -eu
cd "$(dirname "$0")/.."

status=0
# Shell: *.sh files plus scripts whose first line names sh or bash.
shell_files=$(
  {
    git ls-files '*.sh'
    git ls-files | while read -r file; do
      [ -f "$file" ] || continue
      case "$(head -n 1 "$file" 2>/dev/null)" in
        '#!/bin/sh'* | '#!/bin/bash'* | '#!/usr/bin/env bash'* | '#!/usr/bin/env sh'*) echo "$file" ;;
      esac
    done
  } | sort -u
)
if [ -n "$shell_files" ]; then
  # shellcheck disable=SC2086 # one file per word
  shellcheck -x $shell_files || status=1
fi

cpp_files=$(git ls-files '*.cpp' '*.hpp')
if [ -n "$cpp_files" ]; then
  # shellcheck disable=SC2086
  if ! clang-format --dry-run --Werror $cpp_files 2>/dev/null; then
    echo "check-style: C++ files need clang-format (run: make format)" >&2
    status=1
  fi
fi
exit $status
