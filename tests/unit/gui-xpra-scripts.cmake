# gui-xpra's on-target scripts (berth gui, status.d/80-gui) under busybox sh and dash, with a
# fake docker on PATH.
berth_unit_test(gui_xpra_scripts_test SOURCES gui_xpra_scripts_test.cpp)
