#include "output_dir.hpp"

#include "berth/sdk/error.hpp"

namespace berth::core {

StagedOutput::StagedOutput(fs::path final_dir)
    : final_(fs::absolute(final_dir).lexically_normal()) {
  if (final_.filename().empty()) final_ = final_.parent_path();
  staging_ = final_.parent_path() / ("." + final_.filename().string() + ".staging");
  fs::remove_all(staging_);
  fs::create_directories(staging_);
}

StagedOutput::~StagedOutput() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void StagedOutput::commit() {
  const fs::path old = final_.parent_path() / ("." + final_.filename().string() + ".old");
  fs::remove_all(old);
  if (fs::exists(final_)) fs::rename(final_, old);
  fs::rename(staging_, final_);
  committed_ = true;
  fs::remove_all(old);
}

}  // namespace berth::core
