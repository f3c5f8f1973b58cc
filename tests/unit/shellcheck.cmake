# Every shell script Berth puts on a target (under plugins/*/files/: first line
# `#!/bin/sh`, or a `# shellcheck shell=sh` directive for sourced files) through
# `shellcheck -s sh`; any finding, even a style note, fails the test.
#
# Two roles in one file: included by tests/CMakeLists.txt it registers the test; run
# with `cmake -P` (by ctest) it does the check. The file list is made at test time, so a
# new script is checked without re-running cmake.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  find_program(BERTH_SHELLCHECK shellcheck)
  if(NOT BERTH_SHELLCHECK)
    set(BERTH_SHELLCHECK shellcheck)  # the test then fails saying it is missing
  endif()
  add_test(NAME shellcheck
    COMMAND ${CMAKE_COMMAND} -DSHELLCHECK=${BERTH_SHELLCHECK} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(shellcheck PROPERTIES LABELS unit)
  return()
endif()

file(GLOB data_dirs LIST_DIRECTORIES true "${SOURCE_DIR}/plugins/*/files")
set(scripts)
foreach(dir ${data_dirs})
  file(GLOB_RECURSE files LIST_DIRECTORIES false "${dir}/*")
  foreach(file ${files})
    if(IS_SYMLINK "${file}")
      continue()
    endif()
    file(READ "${file}" head LIMIT 64)
    if(head MATCHES "^#!/bin/sh[ \t]*\n" OR head MATCHES "^# shellcheck shell=sh[ \t]*\n")
      list(APPEND scripts "${file}")
    endif()
  endforeach()
endforeach()
list(SORT scripts)
list(LENGTH scripts count)
if(count EQUAL 0)
  message(FATAL_ERROR "no shell scripts found under ${SOURCE_DIR}/plugins/*/files")
endif()

# -x: follow `. file` into files the directives name, as the scripts run.
execute_process(COMMAND "${SHELLCHECK}" -s sh -x ${scripts}
  WORKING_DIRECTORY "${SOURCE_DIR}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "shellcheck found problems (status ${status}) in the ${count} scripts above")
endif()
message(STATUS "shellcheck: ${count} scripts clean")
