# boot-grub2: grub.cfg and early config generation, module choice, tool command lines,
# settings, the medium id and the GRUB images for an installed disk.
set(boot_grub2_dir ${PROJECT_SOURCE_DIR}/plugins/boot-grub2)
berth_unit_test(boot-grub2_test
  SOURCES
    boot_grub2_config_test.cpp
    boot_grub2_commands_test.cpp
    boot_grub2_settings_test.cpp
    boot_grub2_disk_test.cpp
    ${boot_grub2_dir}/settings.cpp
    ${boot_grub2_dir}/kernel_cmdline.cpp
    ${boot_grub2_dir}/grub_config.cpp
    ${boot_grub2_dir}/grub_modules.cpp
    ${boot_grub2_dir}/commands.cpp
    ${boot_grub2_dir}/medium_id.cpp
    ${boot_grub2_dir}/disk_boot.cpp
  INCLUDES ${boot_grub2_dir})
