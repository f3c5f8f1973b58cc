// A ValidateContext for plugin authors' unit tests: the directories and archive validate()
// may look at, set by the test.
#pragma once

#include <utility>

#include "berth/sdk/plugin.hpp"

namespace berth::sdk::testing {

class FakeValidateContext : public ValidateContext {
 public:
  FakeValidateContext(fs::path config_dir = {}, fs::path data_dir = {})
      : config_dir_(std::move(config_dir)), data_dir_(std::move(data_dir)) {}
  fs::path config_dir() const override { return config_dir_; }
  fs::path data_dir() const override { return data_dir_; }
  const DebianSources& debian() const override { return debian_; }

  void set_config_dir(fs::path dir) { config_dir_ = std::move(dir); }
  void set_data_dir(fs::path dir) { data_dir_ = std::move(dir); }
  DebianSources& mutable_debian() { return debian_; }

 private:
  fs::path config_dir_;
  fs::path data_dir_;
  DebianSources debian_{"trixie", "amd64", {}, {}, {}};
};

}  // namespace berth::sdk::testing
