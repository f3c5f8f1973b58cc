# berth_add_plugin(<name> SOURCES <files...> [DATA <dir>])
#
# Builds <name>.so, a plugin the berth core can load, and installs it with its data
# directory (files the plugin puts into the OS) next to it as <name>/.
function(berth_add_plugin name)
  cmake_parse_arguments(ARG "" "DATA" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Berth::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The build tree is a plugin directory too (BERTH_PLUGIN_PATH=<it>): the .so and its data
  # side by side.
  if(DEFINED BERTH_PLUGIN_BUILD_DIR)
    set(build_dir ${BERTH_PLUGIN_BUILD_DIR})
  else()
    set(build_dir ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${build_dir})
  if(DEFINED BERTH_PLUGIN_INSTALL_DIR)
    set(destination ${BERTH_PLUGIN_INSTALL_DIR})
  else()
    set(destination ${BERTH_PLUGIN_SUBDIR})
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION ${destination})
  if(ARG_DATA)
    get_filename_component(data "${ARG_DATA}" ABSOLUTE)
    # Recorded in the plugin (BERTH_SDK_TOOLCHAIN): berth refuses to load it without its data.
    target_compile_definitions(${name} PRIVATE BERTH_PLUGIN_HAS_DATA=1)
    # The build tree links to the sources so edits to on-target scripts need no rebuild.
    file(MAKE_DIRECTORY ${build_dir})
    file(CREATE_LINK ${data} ${build_dir}/${name} SYMBOLIC)
    install(DIRECTORY ${data}/ DESTINATION ${destination}/${name} USE_SOURCE_PERMISSIONS)
  endif()
endfunction()
