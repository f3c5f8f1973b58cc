# import-docker's on-target scripts (import.sh, wrappers) under busybox sh and dash, with a
# fake docker on PATH.
berth_unit_test(import_docker_scripts_test SOURCES import_docker_scripts_test.cpp
  LIBS berth_test_fixtures)
