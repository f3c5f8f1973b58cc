// One logger for the whole build: progress at info, tool output at debug (-v).
#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace berth::core {

std::shared_ptr<spdlog::logger> make_logger(bool verbose);

}  // namespace berth::core
