# Module index parsing, dependency closure, the built-in module lists, kernel tree
# discovery and the shared config keys of the kernel plugins.
set(kernel_common ${PROJECT_SOURCE_DIR}/plugins/kernel-common)
berth_unit_test(kernel-common_test
  SOURCES kernel-common_test.cpp
    ${kernel_common}/kernel_options.cpp
    ${kernel_common}/kernel_tree.cpp
    ${kernel_common}/module_index.cpp
    ${kernel_common}/module_lists.cpp
    ${kernel_common}/module_selection.cpp
  INCLUDES ${kernel_common})
