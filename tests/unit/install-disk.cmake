# install-disk: `berth install` (a disk and --frugal) and `berth upgrade` on the target,
# their argument and safety checks and the installed disk's boot files (disk-boot.sh),
# under busybox sh and dash; the build's check of the programs they run.
set(install_disk_dir ${PROJECT_SOURCE_DIR}/plugins/install-disk)
berth_unit_test(install-disk_test
  SOURCES
    install_disk_scripts_test.cpp
    install_disk_frugal_test.cpp
    install_disk_programs_test.cpp
    ${install_disk_dir}/required_programs.cpp
  INCLUDES ${install_disk_dir} ${PROJECT_SOURCE_DIR}/plugins/target-files-common)
