# image-build (the library plugins use to build Docker images from Debian packages): recipe
# parsing and its errors, the mmdebstrap command line, the archive writer read back with
# libarchive, the result cache's key, and build_image with a stand-in for mmdebstrap. The
# fake build context packs tars with the core's real archive writer.
find_package(LibArchive REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
berth_unit_test(image-build_test
  SOURCES
    image_build_recipe_test.cpp
    image_build_mmdebstrap_test.cpp
    image_build_archive_test.cpp
    image_build_cache_test.cpp
    image_build_builder_test.cpp
  LIBS berth_image_build berth_core LibArchive::LibArchive nlohmann_json::nlohmann_json)
