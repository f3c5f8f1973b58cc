# The VM tests (label `vm`), the test fixtures they boot and load, and the unit tests of
# both (label `unit`). Included by tests/CMakeLists.txt.
#
#   berth-test-fixture   writes the busybox test image (docker save format) and the harness's
#                        own busybox initramfs from Debian's busybox-static package
#   berth_vm_harness     qemu + serial-shell harness, shared with the benchmark; and the host
#                        tools of the GUI tests (a WebDriver client for chromium, pictures)
#   berth_vm_test        the VM tests; skip (not fail) when the test build is missing
#
# The VM tests read the test build from BERTH_TEST_OUT_DIR (or $BERTH_TEST_OUT at run time),
# the GUI tests theirs from BERTH_TEST_GUI_OUT_DIR (or $BERTH_TEST_GUI_OUT).
find_package(LibArchive REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(PNG REQUIRED)
find_package(GTest REQUIRED)
include(GoogleTest)

set(BERTH_TEST_OUT_DIR "${PROJECT_SOURCE_DIR}/out-test" CACHE PATH
    "Output directory of the test build (berth.iso, vmlinuz, initrd.img) that the VM tests boot")
set(BERTH_TEST_GUI_OUT_DIR "${PROJECT_SOURCE_DIR}/out-test-gui" CACHE PATH
    "Output directory of the GUI test build (tests/test-gui-iso.toml) that the GUI VM tests boot")
set(BERTH_VM_FIXTURE_DIR ${PROJECT_BINARY_DIR}/vm-fixtures)
set(BERTH_VM_LOG_DIR ${PROJECT_BINARY_DIR}/vm-logs)
set(_berth_fixtures ${CMAKE_CURRENT_LIST_DIR}/fixtures)
set(_berth_vm ${CMAKE_CURRENT_LIST_DIR}/vm)

# berth_vm_env(<target> <log dir>): test_env.cpp with this checkout's default directories.
# Only this object carries absolute paths, so a clone elsewhere reuses the others from ccache.
function(berth_vm_env target log_dir)
  add_library(${target}_env STATIC ${_berth_vm}/test_env.cpp)
  target_link_libraries(${target}_env PUBLIC berth_vm_harness GTest::gtest)
  target_compile_definitions(${target}_env PRIVATE
    BERTH_TEST_OUT_DEFAULT="${BERTH_TEST_OUT_DIR}"
    BERTH_TEST_GUI_OUT_DEFAULT="${BERTH_TEST_GUI_OUT_DIR}"
    BERTH_VM_FIXTURES_DEFAULT="${BERTH_VM_FIXTURE_DIR}"
    BERTH_VM_LOGS_DEFAULT="${log_dir}")
  target_link_libraries(${target} PRIVATE ${target}_env)
endfunction()

# --- test fixtures ---------------------------------------------------------------------------
add_library(berth_test_fixtures STATIC
  ${_berth_fixtures}/archive_builder.cpp
  ${_berth_fixtures}/compression.cpp
  ${_berth_fixtures}/crafted_archives.cpp
  ${_berth_fixtures}/deb_reader.cpp
  ${_berth_fixtures}/docker_archive.cpp
  ${_berth_fixtures}/file_tree.cpp
  ${_berth_fixtures}/fixture_images.cpp
  ${_berth_fixtures}/image.cpp
  ${_berth_fixtures}/image_archive.cpp
  ${_berth_fixtures}/import_set.cpp
  ${_berth_fixtures}/shell_initramfs.cpp)
target_include_directories(berth_test_fixtures PUBLIC ${_berth_fixtures})
# image-build's own primitives (SHA-256, image names, the image config and the docker save
# JSON documents): the fixtures write what the product writes, from the same code.
target_link_libraries(berth_test_fixtures
  PUBLIC Berth::sdk LibArchive::LibArchive berth_image_build
  PRIVATE nlohmann_json::nlohmann_json)

add_executable(berth-test-fixture ${_berth_fixtures}/main.cpp)
target_link_libraries(berth-test-fixture PRIVATE berth_test_fixtures)

add_executable(berth_fixture_test ${_berth_fixtures}/fixture_test.cpp)
target_link_libraries(berth_fixture_test PRIVATE
  berth_test_fixtures nlohmann_json::nlohmann_json GTest::gtest_main)
add_test(NAME berth_fixture_test COMMAND berth_fixture_test)
set_tests_properties(berth_fixture_test PROPERTIES LABELS unit TIMEOUT 60)

# Gets busybox-static, hello and libc6 (from apt's cache or `apt-get download`) and writes the
# fixtures, the auto-import test set under import/ too; every VM test requires it, so
# `ctest -L vm` runs it first.
add_test(NAME vm.fixtures
  COMMAND sh ${_berth_fixtures}/make-fixtures.sh
          $<TARGET_FILE:berth-test-fixture> ${BERTH_VM_FIXTURE_DIR} ${_berth_fixtures}/initramfs)
set_tests_properties(vm.fixtures PROPERTIES
  LABELS vm TIMEOUT 300 FIXTURES_SETUP berth_vm_fixtures)

# --- harness ---------------------------------------------------------------------------------
add_library(berth_vm_harness STATIC
  ${_berth_vm}/child_process.cpp
  ${_berth_vm}/console_text.cpp
  ${_berth_vm}/docker_ready.cpp
  ${_berth_vm}/qemu_command.cpp
  ${_berth_vm}/qemu_guest.cpp
  ${_berth_vm}/qemu_monitor.cpp
  # Host-side disk images and commands: the VM tests and the bench make their disks alike.
  ${_berth_vm}/host_command.cpp
  ${_berth_vm}/disk_images.cpp
  # What the GUI tests see: a browser on the host (chromedriver) and pictures of screens.
  ${_berth_vm}/local_port.cpp
  ${_berth_vm}/http_client.cpp
  ${_berth_vm}/base64.cpp
  ${_berth_vm}/web_driver.cpp
  ${_berth_vm}/pixels.cpp
  ${_berth_vm}/xwd_image.cpp)
target_include_directories(berth_vm_harness PUBLIC ${_berth_vm})
target_link_libraries(berth_vm_harness PUBLIC Berth::sdk berth_posix PRIVATE nlohmann_json::nlohmann_json PNG::PNG)

add_executable(berth_vm_harness_test ${_berth_vm}/harness_unit_test.cpp)
target_link_libraries(berth_vm_harness_test PRIVATE berth_vm_harness GTest::gtest_main)
add_test(NAME berth_vm_harness_test COMMAND berth_vm_harness_test)
set_tests_properties(berth_vm_harness_test PROPERTIES LABELS unit TIMEOUT 60)

# The GUI tests' host tools: HTTP, base64, PNG/PPM/XWD pictures, and chromium driven through
# chromedriver on a local page (a few seconds).
add_executable(berth_gui_tools_test ${_berth_vm}/gui_tools_unit_test.cpp)
target_link_libraries(berth_gui_tools_test PRIVATE berth_vm_harness PNG::PNG GTest::gtest_main)
add_test(NAME berth_gui_tools_test COMMAND berth_gui_tools_test)
set_tests_properties(berth_gui_tools_test PROPERTIES LABELS unit TIMEOUT 120)

# --- VM tests --------------------------------------------------------------------------------
add_executable(berth_vm_test
    ${_berth_vm}/docker_checks.cpp
  ${_berth_vm}/harness_vm_test.cpp
  ${_berth_vm}/boot_vm_test.cpp
  ${_berth_vm}/docker_vm_test.cpp
  ${_berth_vm}/engine_vm_test.cpp
  ${_berth_vm}/persistence_vm_test.cpp
  ${_berth_vm}/import_vm_test.cpp
  ${_berth_vm}/install_vm_test.cpp
  ${_berth_vm}/frugal_vm_test.cpp
  ${_berth_vm}/gui_vm_test.cpp
  ${_berth_vm}/remote_vm_test.cpp)
target_link_libraries(berth_vm_test PRIVATE berth_vm_harness GTest::gtest_main)
berth_vm_env(berth_vm_test ${BERTH_VM_LOG_DIR})
# One ctest test per test case, each its own boot. TIMEOUT bounds one boot under TCG with
# everything the case does. A guest has 2 vCPUs, but two TCG guests side by side on a 2-core
# host finish well inside their waits, so each counts as one processor: `make test` runs two
# at once (VM_JOBS) and the suite takes about half as long.
gtest_discover_tests(berth_vm_test
  TEST_PREFIX "vm."
  DISCOVERY_MODE PRE_TEST
  PROPERTIES LABELS vm TIMEOUT 1500 PROCESSORS 1 FIXTURES_REQUIRED berth_vm_fixtures)

# berth-boot-loop: the same direct boot of the test build N times under one qemu, counting
# how the boots end (tests/vm/boot_loop_main.cpp): compares qemu builds for speed and for the
# guest crashes TCG causes now and then. Not a test: a measurement (BENCHMARKS.md).
add_executable(berth-boot-loop
  ${_berth_vm}/boot_loop_main.cpp
    ${_berth_vm}/docker_checks.cpp)
target_link_libraries(berth-boot-loop PRIVATE berth_vm_harness GTest::gtest)
berth_vm_env(berth-boot-loop ${BERTH_VM_LOG_DIR}/boot-loop)
