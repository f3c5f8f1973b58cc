// The output directory is replaced in one step at the end of a successful build, so a
// failed or interrupted build never leaves a half-written out/ behind.
#pragma once

#include <filesystem>

namespace berth::core {

namespace fs = std::filesystem;

class StagedOutput {
 public:
  // Creates an empty staging directory beside `final_dir` (same filesystem, so the
  // final step is a rename).
  explicit StagedOutput(fs::path final_dir);
  // Removes the staging directory unless commit() ran.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  const fs::path& staging() const { return staging_; }
  // Swaps the staging directory in for final_dir (an old final_dir is removed).
  void commit();

 private:
  fs::path final_;
  fs::path staging_;
  bool committed_ = false;
};

}  // namespace berth::core
