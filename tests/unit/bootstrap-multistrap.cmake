# multistrap config generation, the missing-multistrap error, the unpack check.
if(TARGET berth_bootstrap_common)
  set(bootstrap_multistrap ${PROJECT_SOURCE_DIR}/plugins/bootstrap-multistrap)
  berth_unit_test(bootstrap-multistrap_test
    SOURCES bootstrap-multistrap_test.cpp
      ${bootstrap_multistrap}/multistrap_config.cpp
      ${bootstrap_multistrap}/unpack_check.cpp
    INCLUDES ${bootstrap_multistrap}
    LIBS berth_bootstrap_common)
endif()
