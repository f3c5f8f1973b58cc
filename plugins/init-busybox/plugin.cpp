// init-busybox: the running system after switch_root. Busybox init reads the inittab
// written here and runs /etc/berth/rc, which starts the services in /etc/berth/rc.d
// (devices, cgroups, modules, network, hostname, syslog, time, other plugins' services,
// banner) and stops them in reverse at shutdown; root shells run on tty1 and the serial
// console. See docs/internals.md, "The OS at run time". By default busybox itself is rebuilt
// against musl ([init] busybox, busybox_build.hpp): the same applets, half the size.
#include "berth/sdk/plugin.hpp"

#include "busybox_build.hpp"
#include "customize.hpp"
#include "settings.hpp"

namespace {

namespace sdk = berth::sdk;
namespace init = berth::init_busybox;

class InitBusybox final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"init-busybox",
            "0.1.0",
            "init",
            true,
            "busybox init with /etc/berth/rc services, DHCP, syslog, NTP and root consoles",
            {"bootstrap"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return init::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const init::Settings settings = init::read_settings(config);  // fails before any stage
    hooks.add(sdk::Stage::customize, sdk::order::kInputs, "accounts",
              [settings](sdk::BuildContext& ctx) {
                init::install_accounts(ctx, settings);
                init::install_base_files(ctx);
              });
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "system files",
              [settings](sdk::BuildContext& ctx) { init::install_system_files(ctx, settings); });
    // Before the applet links (strip stage) and the initramfs's copy of the rootfs's static
    // busybox (fs-squashfs), which both take the built one.
    if (settings.busybox == init::BusyboxBuild::musl) {
      hooks.add(sdk::Stage::customize, sdk::order::kMain, "busybox (musl)",
                [](sdk::BuildContext& ctx) {
                  const auto debian = init::debian_busybox(ctx.rootfs());
                  init::install_built_busybox(ctx, init::build_busybox(ctx, debian));
                });
    }
    // After the filesystem's strip rules (strip stage, kMain): a Debian program the diet
    // removes (agetty, su, shadow's passwd) leaves its name to busybox's applet.
    hooks.add(sdk::Stage::strip, sdk::order::kOnTop, "busybox applets", init::install_applet_links);
  }
};

}  // namespace

BERTH_PLUGIN(InitBusybox)
