# import-docker, build side: image archives recognised (real archives written with
# libarchive in every layout and compression), the [import] settings and their errors,
# the hooks against a BuildContext on temporary directories, and jq without regular
# expressions: its setting and hook, its recipe, its install, and Berth's jq filters.
find_package(LibArchive REQUIRED)
set(import_docker_dir ${PROJECT_SOURCE_DIR}/plugins/import-docker)
berth_unit_test(import-docker_test
  SOURCES
    import_docker_archive_test.cpp
    import_docker_settings_test.cpp
    import_docker_stages_test.cpp
    import_docker_jq_test.cpp
    ${import_docker_dir}/plugin.cpp
    ${import_docker_dir}/settings.cpp
    ${import_docker_dir}/image_archive.cpp
    ${import_docker_dir}/stages.cpp
    ${import_docker_dir}/jq_recipe.cpp
    ${import_docker_dir}/jq_build.cpp
    ${import_docker_dir}/jq_install.cpp
  INCLUDES ${import_docker_dir}
  LIBS LibArchive::LibArchive berth_image_build)
