# The SDK's own helpers and test doubles (header-only): what plugin authors rely on.
berth_unit_test(sdk_test SOURCES sdk_files_test.cpp sdk_private_apt_test.cpp sdk_programs_test.cpp
                                   sdk_root_paths_test.cpp sdk_sizes_test.cpp sdk_testing_test.cpp
                                   sdk_source_packages_test.cpp)
