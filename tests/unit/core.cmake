berth_unit_test(core_test
  SOURCES config_loader_test.cpp config_validator_test.cpp plugin_loader_test.cpp
          pipeline_test.cpp archive_writer_test.cpp apt_fetcher_test.cpp output_dir_test.cpp
          cli_test.cpp plugin_call_test.cpp files_installer_test.cpp
          sourced_libraries_test.cpp
  LIBS berth_core)
add_dependencies(core_test berth test-good test-wrong-abi test-no-factory test-bootloader-a
                 test-bootloader-b test-bad-schema)
