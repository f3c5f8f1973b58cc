# mmdebstrap argument generation and its extract hook.
set(bootstrap_mmdebstrap ${PROJECT_SOURCE_DIR}/plugins/bootstrap-mmdebstrap)
berth_unit_test(bootstrap-mmdebstrap_test
  SOURCES bootstrap-mmdebstrap_test.cpp ${bootstrap_mmdebstrap}/mmdebstrap_args.cpp
  INCLUDES ${bootstrap_mmdebstrap})
