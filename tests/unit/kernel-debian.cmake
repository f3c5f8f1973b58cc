# Picking the versioned linux-image package among what apt fetched.
berth_unit_test(kernel-debian_test
  SOURCES kernel-debian_test.cpp ${PROJECT_SOURCE_DIR}/plugins/kernel-debian/kernel_package.cpp
  INCLUDES ${PROJECT_SOURCE_DIR}/plugins/kernel-debian)
