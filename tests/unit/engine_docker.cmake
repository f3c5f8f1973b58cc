find_package(nlohmann_json 3 REQUIRED)
set(engine_docker_dir ${PROJECT_SOURCE_DIR}/plugins/engine-docker)
berth_unit_test(engine_docker_test
  SOURCES engine_docker_test.cpp engine_docker_status_test.cpp engine_docker_supervise_test.cpp
          engine_docker_multicall_test.cpp
          ${engine_docker_dir}/daemon_config.cpp ${engine_docker_dir}/alternatives.cpp
          ${engine_docker_dir}/group_file.cpp ${engine_docker_dir}/unused_programs.cpp
          ${engine_docker_dir}/target_files.cpp ${engine_docker_dir}/multicall.cpp
          ${engine_docker_dir}/engine_recipe.cpp
          ${engine_docker_dir}/gopath_layout.cpp
  INCLUDES ${engine_docker_dir}
  LIBS nlohmann_json::nlohmann_json)
