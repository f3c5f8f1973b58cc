#include "session.hpp"

#include <map>
#include <utility>

#include "berth/sdk/error.hpp"
#include "config_validator.hpp"
#include "core_schema.hpp"
#include "files_installer.hpp"
#include "plugin_call.hpp"
#include "sourced_libraries.hpp"

namespace berth::core {
namespace {

class PluginValidateContext : public sdk::ValidateContext {
 public:
  PluginValidateContext(fs::path config_dir, fs::path data_dir, const sdk::DebianSources& debian)
      : config_dir_(std::move(config_dir)), data_dir_(std::move(data_dir)), debian_(debian) {}
  fs::path config_dir() const override { return config_dir_; }
  fs::path data_dir() const override { return data_dir_; }
  const sdk::DebianSources& debian() const override { return debian_; }

 private:
  fs::path config_dir_;
  fs::path data_dir_;
  const sdk::DebianSources& debian_;
};

// The core installs what each plugin ships (files/rootfs, files/initramfs, files/both), so
// no plugin copies files itself and none can write through a link in the image.
void add_files_hooks(const fs::path& data_dir, Pipeline& pipeline) {
  if (data_dir.empty()) return;
  for (const auto& part : kFilesParts) {
    const fs::path source = data_dir / part.name;
    if (!fs::is_directory(source)) continue;
    const std::string name = "install files/" + std::string(part.name);
    if (part.rootfs) {
      pipeline.add(sdk::Stage::customize, sdk::order::kFiles, name,
                   [source](sdk::BuildContext& ctx) { install_files(source, ctx.rootfs()); });
    }
    if (part.initramfs) {
      pipeline.add(
          sdk::Stage::initramfs, sdk::order::kFiles, name,
          [source](sdk::BuildContext& ctx) { install_files(source, ctx.initramfs_root()); });
    }
  }
}

// Once every plugin's files are in a tree, the libraries their scripts source must be
// there too: a script may source another plugin's library, and a config without that
// plugin must fail the build here, not the script on the target. The rootfs is checked
// after customize (before the slow stages), the initramfs before the initrd is written.
void add_sourced_library_checks(const std::vector<ActivePlugin>& plugins,
                                const std::vector<fs::path>& search_path, Pipeline& pipeline) {
  const auto shipped = [&plugins](std::initializer_list<const char*> parts) {
    std::vector<ShippedFiles> list;
    for (const auto& active : plugins) {
      if (active.loaded->data_dir.empty()) continue;
      for (const char* part : parts) {
        list.push_back({active.loaded->info.name, active.loaded->data_dir / part});
      }
    }
    return list;
  };
  pipeline.set_current_plugin(kCoreHooks);
  pipeline.add(
      sdk::Stage::customize, sdk::order::kLast, "sourced libraries",
      [files = shipped({"rootfs", "both"}),
       shipper = shipper_on_path(search_path, {"rootfs", "both"})](sdk::BuildContext& ctx) {
        check_sourced_libraries(ctx.rootfs(), files, shipper);
      });
  pipeline.add(
      sdk::Stage::initramfs, sdk::order::kInputs, "sourced libraries",
      [files = shipped({"initramfs", "both"}),
       shipper = shipper_on_path(search_path, {"initramfs", "both"})](sdk::BuildContext& ctx) {
        check_sourced_libraries(ctx.initramfs_root(), files, shipper);
      });
}

}  // namespace

const ActivePlugin* Session::serving(const std::string& concern) const {
  for (const auto& active : plugins_) {
    if (active.loaded->info.concern == concern) return &active;
  }
  return nullptr;
}

std::unique_ptr<Session> Session::open(const fs::path& config_file) {
  std::unique_ptr<Session> session(new Session());  // private constructor
  session->config_ = load_config(config_file);
  const LoadedConfig& config = session->config_;

  validate_table(*config.berth, berth_schema(), "berth");
  session->debian_ = read_debian_sources(config);

  std::vector<fs::path> from_config;
  for (const auto& dir : config.berth->get_strings("plugin_path")) {
    fs::path path = dir;
    from_config.push_back(path.is_relative() ? config.dir / path : path);
  }
  session->search_path_ = plugin_search_path(from_config);

  std::map<std::string, const ActivePlugin*> exclusive_owner;  // concern -> plugin
  session->plugins_.reserve(config.sections.size());
  for (const auto& section : config.sections) {
    std::unique_ptr<LoadedPlugin> loaded;
    try {
      loaded = load_plugin(section.plugin, session->search_path_);
    } catch (const sdk::ConfigError&) {
      throw;
    } catch (const sdk::Error& error) {
      throw sdk::ConfigError(section.where, "[" + section.name + "] " + error.what());
    }
    session->plugins_.push_back({std::move(loaded), section});
    const ActivePlugin& active = session->plugins_.back();
    const auto& info = active.loaded->info;
    auto owner = exclusive_owner.find(info.concern);
    if (owner != exclusive_owner.end() &&
        (info.exclusive || owner->second->loaded->info.exclusive)) {
      throw sdk::ConfigError(section.where, "[" + section.name + "] plugin " + info.name +
                                                " and [" + owner->second->section.name +
                                                "] plugin " + owner->second->loaded->info.name +
                                                " both serve the exclusive concern '" +
                                                info.concern + "': keep one");
    }
    exclusive_owner.emplace(info.concern, &active);
    const auto schema = call_plugin("plugin " + info.name + ": its config schema",
                                    [&] { return active.loaded->plugin->config_schema(); });
    validate_table(*section.table, schema, "plugin " + info.name);
  }

  // What each plugin builds on must be in the config: a GUI without an importer, a
  // filesystem without a kernel would fail halfway through a build, or build nonsense.
  for (const auto& active : session->plugins_) {
    const auto& info = active.loaded->info;
    for (const auto& concern : info.needs) {
      if (session->serving(concern)) continue;
      throw sdk::ConfigError(active.section.where,
                             "[" + active.section.name + "] plugin " + info.name +
                                 " needs a plugin serving '" + concern +
                                 "', and none in this config does (`berth plugins` lists "
                                 "each plugin's concern)");
    }
  }

  // Checks that read the plugins' own files (recipes, archives the config names): after
  // the schema, before any hook exists, so `berth plan` reports them too.
  for (const auto& active : session->plugins_) {
    const auto& name = active.loaded->info.name;
    const PluginValidateContext context(config.dir, active.loaded->data_dir, session->debian_);
    call_plugin("plugin " + name,
                [&] { active.loaded->plugin->validate(*active.section.table, context); });
  }

  for (const auto& active : session->plugins_) {
    const auto& name = active.loaded->info.name;
    session->pipeline_.set_current_plugin(name);
    add_files_hooks(active.loaded->data_dir, session->pipeline_);
    // A copy of whatever it throws is made here: the original lives in the plugin's code,
    // which is unloaded when the half-made session unwinds, before anyone reads the message.
    call_plugin("plugin " + name, [&] {
      active.loaded->plugin->register_hooks(*active.section.table, session->pipeline_);
    });
  }
  add_sourced_library_checks(session->plugins_, session->search_path_, session->pipeline_);
  return session;
}

}  // namespace berth::core
