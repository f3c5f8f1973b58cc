# kernel-source: fragment parsing and merging, the "did not stick" check, the cache key,
# source tree naming and the plugin's settings and shipped fragments.
set(kernel_source ${PROJECT_SOURCE_DIR}/plugins/kernel-source)
berth_unit_test(kernel-source_test
  SOURCES kernel_source_test.cpp
    ${kernel_source}/cache_key.cpp
    ${kernel_source}/kconfig.cpp
    ${kernel_source}/object_flags.cpp
    ${kernel_source}/settings.cpp
    ${kernel_source}/source_tree.cpp
    ${kernel_source}/tree_lock.cpp
  INCLUDES ${kernel_source}
  LIBS Berth::kernel berth_image_build)
