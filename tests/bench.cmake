# The benchmark behind `make bench` (tests/bench): berth-bench measures a build's output (sizes,
# boot-to-docker-ready, memory at idle, the boot timeline per boot mode with its SVG chart)
# through the VM harness and appends to BENCHMARKS.md.
# Needs tests/vm.cmake (the harness) included first. Its parsing has unit tests (label unit).
find_package(LibArchive REQUIRED)
find_package(GTest REQUIRED)

set(_berth_bench ${CMAKE_CURRENT_LIST_DIR}/bench)
add_library(berth_bench_lib STATIC
  ${_berth_bench}/boot_measure.cpp
  ${_berth_bench}/boot_timeline.cpp
  ${_berth_bench}/init_log.cpp
  ${_berth_bench}/initrd_member.cpp
  ${_berth_bench}/persistence_measure.cpp
  ${_berth_bench}/import_measure.cpp
  ${_berth_bench}/install_measure.cpp
  ${_berth_bench}/size_breakdown.cpp
  ${_berth_bench}/timeline_measure.cpp
  ${_berth_bench}/timeline_svg.cpp)
target_include_directories(berth_bench_lib PUBLIC ${_berth_bench})
target_link_libraries(berth_bench_lib PUBLIC berth_vm_harness LibArchive::LibArchive)

add_executable(berth-bench ${_berth_bench}/bench_main.cpp)
target_link_libraries(berth-bench PRIVATE berth_bench_lib)

add_executable(berth_bench_test ${_berth_bench}/bench_unit_test.cpp)
target_link_libraries(berth_bench_test PRIVATE berth_bench_lib GTest::gtest_main)
add_test(NAME berth_bench_test COMMAND berth_bench_test)
set_tests_properties(berth_bench_test PROPERTIES LABELS unit TIMEOUT 60)
