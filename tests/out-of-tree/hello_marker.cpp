// The smallest useful plugin: in the customize stage it copies its shipped greeting
// into the output directory, with a line from its config appended.
#include <berth/sdk.hpp>
#include <fstream>

namespace {

class HelloMarker : public berth::sdk::Plugin {
 public:
  berth::sdk::PluginInfo info() const override {
    return {"hello-marker", "1.0.0", "example", false,
            "writes hello.txt into the output directory"};
  }
  std::vector<berth::sdk::ConfigKey> config_schema() const override {
    return {{"message", berth::sdk::ValueType::string, "the line to add", true}};
  }
  void register_hooks(const berth::sdk::ConfigTable& config,
                      berth::sdk::HookRegistry& hooks) override {
    const std::string message = config.require_string("message");
    hooks.add(berth::sdk::Stage::customize, 50, "hello", [message](berth::sdk::BuildContext& ctx) {
      std::ifstream greeting(ctx.data_dir() / "greeting.txt");
      std::string shipped;
      std::getline(greeting, shipped);
      std::ofstream(ctx.output_dir() / "hello.txt") << shipped << "\n" << message << "\n";
      ctx.info("wrote hello.txt");
    });
  }
};

}  // namespace

BERTH_PLUGIN(HelloMarker)
