#!/bin/sh
# tools/test-times.sh LOG...: every test's time from ctest output logs (ctest -O), slowest
# first, one line each: seconds, result, name. A test that ran twice (the retry) shows
# twice, so a retried failure is counted, not hidden.
set -eu

[ "$#" -gt 0 ] || {
  echo "usage: $0 CTEST-LOG..." >&2
  exit 2
}

# ctest's result lines: "  3/34 Test  #7: vm.Firmware.SeabiosCd ......   Passed  123.45 sec"
# (or "***Failed", "***Timeout", "***Skipped"; the dots shrink as the name grows).
awk '
  / Test +#[0-9]+: / && / sec$/ {
    name = $0; sub(/^.* Test +#[0-9]+: /, "", name); sub(/ .*$/, "", name)
    result = $0; sub(/ +[0-9.]+ sec$/, "", result)
    match(result, /[A-Za-z][A-Za-z ]*$/); result = substr(result, RSTART)
    seconds = $(NF - 1)
    printf "%9.1f s  %-8s %s\n", seconds, result, name
  }
' "$@" | sort -rn | awk '{ print; total += $1 }
  END { if (NR > 0) printf "%9.1f s  in all (tests that ran side by side overlap)\n", total }'
