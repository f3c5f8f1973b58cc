set(init_busybox_dir ${PROJECT_SOURCE_DIR}/plugins/init-busybox)
berth_unit_test(init_busybox_test
  SOURCES init_busybox_test.cpp init_busybox_accounts_test.cpp init_busybox_applets_test.cpp
          init_busybox_scripts_test.cpp init_busybox_rc_test.cpp
          init_busybox_console_test.cpp init_busybox_build_test.cpp
          ${init_busybox_dir}/settings.cpp ${init_busybox_dir}/init_files.cpp
          ${init_busybox_dir}/accounts.cpp ${init_busybox_dir}/applet_links.cpp
          ${init_busybox_dir}/busybox_recipe.cpp
  INCLUDES ${init_busybox_dir})
