# crypt-luks: the unlock hook (typed into through pseudo-terminals), luks.sh's cryptsetup
# calls and passphrase checks under busybox sh and dash, the status line, and the plugin's
# check for cryptsetup; the kernel-crypto cryptsetup build's settings and recipe, and its
# install into the rootfs.
set(crypt_luks_dir ${PROJECT_SOURCE_DIR}/plugins/crypt-luks)
berth_unit_test(crypt_luks_test
  SOURCES crypt_luks_test.cpp crypt_luks_build_test.cpp crypt_luks_install_test.cpp
          ${crypt_luks_dir}/install_files.cpp ${crypt_luks_dir}/settings.cpp
          ${crypt_luks_dir}/cryptsetup_recipe.cpp ${crypt_luks_dir}/cryptsetup_install.cpp
  INCLUDES ${crypt_luks_dir} ${PROJECT_SOURCE_DIR}/plugins/target-files-common)
