#include "pipeline.hpp"

#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"

namespace berth::core {
namespace {

using sdk::Stage;

TEST(Pipeline, OrdersByStageThenOrderKeyThenPlugin) {
  Pipeline pipeline;
  auto noop = [](sdk::BuildContext&) {};
  pipeline.set_current_plugin("zeta");
  pipeline.add(Stage::bootloader, 50, "iso", noop);
  pipeline.add(Stage::customize, 50, "files", noop);
  pipeline.set_current_plugin("alpha");
  pipeline.add(Stage::customize, 50, "files", noop);
  pipeline.add(Stage::customize, 10, "early", noop);
  pipeline.add(Stage::bootstrap, 90, "rootfs", noop);
  std::vector<std::string> order;
  for (const auto* hook : pipeline.ordered()) order.push_back(hook->plugin + "/" + hook->name);
  EXPECT_EQ(order, (std::vector<std::string>{"alpha/rootfs", "alpha/early", "alpha/files",
                                             "zeta/files", "zeta/iso"}));
}

TEST(Pipeline, SameHookTwiceIsRefused) {
  Pipeline pipeline;
  pipeline.set_current_plugin("p");
  pipeline.add(Stage::strip, 1, "x", [](sdk::BuildContext&) {});
  EXPECT_THROW(pipeline.add(Stage::strip, 2, "x", [](sdk::BuildContext&) {}), sdk::Error);
}

TEST(Stages, NamesRoundTrip) {
  for (Stage stage : sdk::kAllStages)
    EXPECT_EQ(sdk::stage_from_name(sdk::stage_name(stage)), stage);
  EXPECT_FALSE(sdk::stage_from_name("nope").has_value());
}

}  // namespace
}  // namespace berth::core
