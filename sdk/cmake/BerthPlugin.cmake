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
  if(DEFINED BERTH_PLUGIN_BUILD_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${BERTH_PLUGIN_BUILD_DIR})
  endif()
  if(DEFINED BERTH_PLUGIN_INSTALL_DIR)
    set(destination ${BERTH_PLUGIN_INSTALL_DIR})
  else()
    set(destination ${BERTH_PLUGIN_SUBDIR})
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION ${destination})
  if(ARG_DATA)
    get_filename_component(data "${ARG_DATA}" ABSOLUTE)
    if(DEFINED BERTH_PLUGIN_BUILD_DIR)
      # The build tree links to the sources so edits to on-target scripts need no rebuild.
      file(MAKE_DIRECTORY ${BERTH_PLUGIN_BUILD_DIR})
      file(CREATE_LINK ${data} ${BERTH_PLUGIN_BUILD_DIR}/${name} SYMBOLIC)
    endif()
    install(DIRECTORY ${data}/ DESTINATION ${destination}/${name} USE_SOURCE_PERMISSIONS)
  endif()
endfunction()
