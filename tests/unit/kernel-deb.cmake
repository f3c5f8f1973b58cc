# Checks on the .deb file kernel-deb is given.
berth_unit_test(kernel-deb_test
  SOURCES kernel-deb_test.cpp ${PROJECT_SOURCE_DIR}/plugins/kernel-deb/deb_file.cpp
  INCLUDES ${PROJECT_SOURCE_DIR}/plugins/kernel-deb)
