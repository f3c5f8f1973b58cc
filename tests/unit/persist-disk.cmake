# persist-disk: the initramfs hook, persist.conf parsing and `berth data` under busybox sh
# and dash, and the plugin's check of the programs its scripts need.
set(persist_disk_dir ${PROJECT_SOURCE_DIR}/plugins/persist-disk)
berth_unit_test(persist_disk_test
  SOURCES persist_disk_test.cpp ${persist_disk_dir}/install_files.cpp
  INCLUDES ${persist_disk_dir} ${PROJECT_SOURCE_DIR}/plugins/target-files-common)
