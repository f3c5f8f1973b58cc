# gui-xpra, build side: the [gui] settings, the hooks it registers, the recipe checks, the
# rootfs files and the images put on the ISO tree (from a seeded result cache, so no
# mmdebstrap runs). Shares image-build's fake build context.
set(gui_xpra_dir ${PROJECT_SOURCE_DIR}/plugins/gui-xpra)
berth_unit_test(gui-xpra_test
  SOURCES
    gui_xpra_test.cpp
    ${gui_xpra_dir}/plugin.cpp
    ${gui_xpra_dir}/settings.cpp
    ${gui_xpra_dir}/stages.cpp
  INCLUDES ${gui_xpra_dir}
  LIBS berth_image_build berth_core)
