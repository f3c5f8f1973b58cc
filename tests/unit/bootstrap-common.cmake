# The logic both bootstrap plugins share (plugins/bootstrap-common), linked as the
# static library the plugins link; it brings libarchive with it.
if(TARGET berth_bootstrap_common)
  berth_unit_test(bootstrap-common_test
    SOURCES bootstrap-common_test.cpp
    LIBS berth_bootstrap_common)
endif()
