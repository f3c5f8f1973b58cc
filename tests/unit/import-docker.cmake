# import-docker, build side: image archives recognised (real archives written with
# libarchive in every layout and compression), the [import] settings and their errors,
# and the hooks against a BuildContext on temporary directories.
find_package(LibArchive REQUIRED)
set(import_docker_dir ${PROJECT_SOURCE_DIR}/plugins/import-docker)
berth_unit_test(import-docker_test
  SOURCES
    import_docker_archive_test.cpp
    import_docker_settings_test.cpp
    import_docker_stages_test.cpp
    ${import_docker_dir}/plugin.cpp
    ${import_docker_dir}/settings.cpp
    ${import_docker_dir}/image_archive.cpp
    ${import_docker_dir}/stages.cpp
  INCLUDES ${import_docker_dir}
  LIBS LibArchive::LibArchive)
