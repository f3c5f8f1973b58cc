#include "cli.hpp"

int main(int argc, char** argv) {
  return berth::core::run_cli(argc, argv);
}
