// Runs a session's pipeline: prepares the work directory, runs every hook in order with
// timings, writes the manifest and report, and publishes the output directory.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>

#include "session.hpp"

namespace berth::core {

struct BuildOptions {
  fs::path output_dir;
  fs::path work_dir;
  fs::path cache_dir;
};

void run_build(const Session& session, const BuildOptions& options,
               const std::shared_ptr<spdlog::logger>& log);

}  // namespace berth::core
