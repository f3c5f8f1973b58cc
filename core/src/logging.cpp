#include "logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace berth::core {

std::shared_ptr<spdlog::logger> make_logger(bool verbose) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("berth", sink);
  // Elapsed time since the previous message is what a person watching a build wants.
  logger->set_pattern(verbose ? "%^[%H:%M:%S.%e %l]%$ %v" : "%^%v%$");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::debug);
  return logger;
}

}  // namespace berth::core
