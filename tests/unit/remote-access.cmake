find_package(nlohmann_json 3 REQUIRED)
# remote-access: its build step (the program check; the dropbear build's settings, recipe and
# install into the rootfs), and its on-target scripts (rc.d/66-docker-tls, `berth tls`)
# under busybox sh and dash with the host's openssl and jq and a stand-in ip.
set(remote_access_dir ${PROJECT_SOURCE_DIR}/plugins/remote-access)
berth_unit_test(remote_access_test
  SOURCES remote_access_tls_test.cpp remote_access_ssh_test.cpp
          remote_access_setup_test.cpp remote_access_console_test.cpp
          remote_access_build_test.cpp ${remote_access_dir}/settings.cpp
          ${remote_access_dir}/dropbear_recipe.cpp ${remote_access_dir}/dropbear_install.cpp
  INCLUDES ${remote_access_dir}
  LIBS nlohmann_json::nlohmann_json)
