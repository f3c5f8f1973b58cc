// One source, several test plugins: the TEST_* define picks what each one gets wrong.
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "berth/sdk.hpp"

namespace {

class TestPlugin : public berth::sdk::Plugin {
 public:
  berth::sdk::PluginInfo info() const override {
#if defined(TEST_bootloader_a) || defined(TEST_bootloader_b)
    return {TEST_PLUGIN_NAME, "1.0", "bootloader", true, "a bootloader that boots nothing"};
#elif defined(TEST_needs_kernel)
    return {TEST_PLUGIN_NAME, "1.0", "filesystem", true, "packs nothing", { "kernel" }};
#elif defined(TEST_kernel)
    return {TEST_PLUGIN_NAME, "1.0", "kernel", true, "builds no kernel"};
#else
    return {TEST_PLUGIN_NAME, "1.0", "test", false, "writes a marker file"};
#endif
  }
  std::vector<berth::sdk::ConfigKey> config_schema() const override {
    using berth::sdk::ValueType;
#if defined(TEST_bad_schema)
    throw std::runtime_error("schema exploded");
#endif
    return {
        {"message", ValueType::string, "what to write"},
        {"count", ValueType::integer, "how often"},
        {"fail", ValueType::boolean, "throw from the hook"},
        {"throw_int", ValueType::boolean, "throw an int (no std::exception) from register_hooks"},
        {"extra", ValueType::table, "free-form"},
        {"items",
         ValueType::table_array,
         "structured",
         false,
         {{"name", ValueType::string, "", true}}}};
  }
#if defined(TEST_picky)
  // Refuses a file the config names unless it exists beside the config: what validate() is for.
  void validate(const berth::sdk::ConfigTable& config,
                const berth::sdk::ValidateContext& context) const override {
    const std::string wanted = config.get_string("message", "");
    if (!wanted.empty() && !std::filesystem::exists(context.config_dir() / wanted)) {
      config.fail("message", "no file " + wanted + " beside the config");
    }
  }
#endif
  void register_hooks(const berth::sdk::ConfigTable& config,
                      berth::sdk::HookRegistry& hooks) override {
    const std::string message = config.get_string("message", "hello");
    const bool fail = config.get_bool("fail", false);
    // Thrown from plugin code: the core must still print it after unloading the plugin.
    if (config.get_int("count", 0) < 0) config.fail("count", "must not be negative");
    if (config.get_bool("throw_int", false)) throw 42;
    hooks.add(berth::sdk::Stage::customize, 50, "marker",
              [message, fail](berth::sdk::BuildContext& ctx) {
                if (fail) throw berth::sdk::Error("asked to fail");
                std::ofstream(ctx.output_dir() / (ctx.config().name() + ".txt")) << message << "\n";
              });
  }
};

}  // namespace

#if defined(TEST_wrong_abi)
extern "C" __attribute__((visibility("default"))) const unsigned berth_plugin_abi_version = 999;
extern "C" __attribute__((visibility("default"))) berth::sdk::Plugin* berth_plugin_create() {
  return std::make_unique<TestPlugin>().release();
}
#elif defined(TEST_no_factory)
extern "C" __attribute__((visibility("default"))) const unsigned berth_plugin_abi_version =
    berth::sdk::kAbiVersion;
extern "C" __attribute__((visibility("default"))) const char berth_plugin_toolchain[] =
    BERTH_SDK_TOOLCHAIN;
#elif defined(TEST_no_toolchain)
// What a plugin built against the SDK before 1.0 looked like: the ABI number and a factory.
extern "C" __attribute__((visibility("default"))) const unsigned berth_plugin_abi_version =
    berth::sdk::kAbiVersion;
extern "C" __attribute__((visibility("default"))) berth::sdk::Plugin* berth_plugin_create() {
  return std::make_unique<TestPlugin>().release();
}
#else
BERTH_PLUGIN(TestPlugin)
#endif
