find_package(LibLZMA REQUIRED)
# fs-squashfs: globs, strip rules, settings and the mksquashfs command, the initramfs
# tree, the stage hooks (with a real mksquashfs when the host has one), /init with
# cmdline.sh, and the boot medium service (rc.d/12-medium, medium.sh) with the frugal and
# ISO-file hook (early.d/20-from), under busybox sh and dash.
set(fs_squashfs ${PROJECT_SOURCE_DIR}/plugins/fs-squashfs)
berth_unit_test(fs-squashfs_test
  SOURCES
    fs_squashfs_glob_test.cpp
    fs_squashfs_strip_test.cpp
    fs_squashfs_settings_test.cpp
    fs_squashfs_initramfs_test.cpp
    fs_squashfs_scripts_test.cpp
    fs_squashfs_stages_test.cpp
    fs_squashfs_library_check_test.cpp
    fs_squashfs_needed_libraries_test.cpp
    fs_squashfs_contents_test.cpp
    fs_squashfs_medium_test.cpp
    fs_squashfs_from_test.cpp
    fs_squashfs_fast_image_test.cpp
    ${fs_squashfs}/plugin.cpp
    ${fs_squashfs}/stages.cpp
    ${fs_squashfs}/settings.cpp
    ${fs_squashfs}/path_glob.cpp
    ${fs_squashfs}/strip_rules.cpp
    ${fs_squashfs}/strip_tree.cpp
    ${fs_squashfs}/mksquashfs_command.cpp
    ${fs_squashfs}/fast_image.cpp
    ${fs_squashfs}/elf_file.cpp
    ${fs_squashfs}/library_check.cpp
    ${fs_squashfs}/needed_libraries.cpp
    ${fs_squashfs}/contents_report.cpp
    ${fs_squashfs}/initramfs_tree.cpp
    ${fs_squashfs}/initrd_file.cpp
  INCLUDES ${fs_squashfs}
  LIBS LibLZMA::LibLZMA berth_core)
