#include "cli.hpp"

#include <boost/program_options.hpp>
#include <iostream>

#include "berth/sdk/error.hpp"
#include "build_info.hpp"
#include "builder.hpp"
#include "logging.hpp"
#include "plugin_call.hpp"
#include "session.hpp"

namespace berth::core {
namespace {

namespace po = boost::program_options;

constexpr const char* kUsage =
    "usage: berth [-v] <command> [options]\n"
    "\n"
    "Builds Berth, a small Debian-based OS that runs Docker, from a TOML description.\n"
    "\n"
    "commands:\n"
    "  build     build the images (ISO, kernel, initrd) described by the config\n"
    "  plan      show the plugins, stages and hooks a build would run, without running them\n"
    "  plugins   list the plugins berth can find: where, ABI, concern\n"
    "\n"
    "`berth <command> --help` shows the options of a command.\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

po::options_description config_option() {
  po::options_description options;
  options.add_options()("config,c", po::value<std::string>()->default_value("berth.toml"),
                        "the build description (TOML)");
  return options;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

po::variables_map parse(const std::vector<std::string>& args,
                        const po::options_description& options) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  po::notify(vm);
  return vm;
}

int cmd_build(const std::vector<std::string>& args, const std::shared_ptr<spdlog::logger>& log) {
  po::options_description options("berth build [options]");
  options.add(config_option());
  options.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>()->default_value("out"),
      "output directory: replaced as a whole when the build succeeds, untouched when it fails")(
      "work,w", po::value<std::string>()->default_value("work"),
      "work directory (rootfs, initramfs and ISO trees, plugin scratch)")(
      "cache", po::value<std::string>()->default_value("/var/cache/berth"),
      "download cache, kept across builds");
  const auto vm = parse(args, options);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  const auto session = Session::open(vm["config"].as<std::string>());
  log->info("berth {}: building {} ({} plugins)", kVersion, session->config().file.string(),
            session->plugins().size());
  run_build(
      *session,
      {vm["output"].as<std::string>(), vm["work"].as<std::string>(), vm["cache"].as<std::string>()},
      log);
  return 0;
}

int cmd_plan(const std::vector<std::string>& args) {
  po::options_description options("berth plan [options]");
  options.add(config_option());
  options.add_options()("help,h", "show this help");
  const auto vm = parse(args, options);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  const auto session = Session::open(vm["config"].as<std::string>());
  std::cout << "config  " << session->config().file.string() << "\n"
            << "debian  " << session->debian().suite << "/" << session->debian().architecture;
  for (const auto& source : session->debian().sources) std::cout << "  " << source.suite;
  std::cout << "\n\nplugins\n";
  for (const auto& active : session->plugins()) {
    const auto& info = active.loaded->info;
    std::cout << "  [" << active.section.name << "] " << info.name << " " << info.version << " ("
              << info.concern << ")  " << active.loaded->file.string() << "\n";
    for (const auto& concern : info.needs) {
      const ActivePlugin* provider = session->serving(concern);
      std::cout << "      needs " << concern << ": [" << provider->section.name << "] "
                << provider->loaded->info.name << "\n";
    }
  }
  std::cout << "\nstages\n";
  const auto hooks = session->pipeline().ordered();
  for (sdk::Stage stage : sdk::kAllStages) {
    std::cout << "  " << sdk::stage_name(stage) << "\n";
    for (const HookEntry* hook : hooks) {
      if (hook->stage == stage) {
        std::cout << "    " << hook->order << "  " << hook->plugin << "/" << hook->name << "\n";
      }
    }
    if (stage == sdk::Stage::finalize) std::cout << "    --  berth/manifest, report, checksums\n";
  }
  return 0;
}

int cmd_plugins(const std::vector<std::string>& args) {
  po::options_description options("berth plugins [options]");
  options.add_options()("help,h", "show this help")("config,c", po::value<std::string>(),
                                                    "also search the config's [berth] plugin_path");
  const auto vm = parse(args, options);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  std::vector<fs::path> extra;
  if (vm.count("config")) {
    const auto config = load_config(vm["config"].as<std::string>());
    for (const auto& dir : config.berth->get_strings("plugin_path")) {
      extra.push_back(fs::path(dir).is_relative() ? config.dir / dir : fs::path(dir));
    }
  }
  const auto search_path = plugin_search_path(extra);
  std::cout << "search path:\n";
  for (const auto& dir : search_path) std::cout << "  " << dir.string() << "\n";
  std::cout << "\n";
  int broken = 0;
  for (const auto& found : discover_plugin_files(search_path)) {
    try {
      const auto loaded = load_named_plugin_file(found.name, found.file);
      const auto& info = loaded->info;
      std::cout << info.name << " " << info.version << "\n"
                << "  concern  " << info.concern << (info.exclusive ? " (exclusive)" : "") << "\n";
      if (!info.needs.empty()) std::cout << "  needs    " << join(info.needs, ", ") << "\n";
      std::cout << "  abi      " << sdk::kAbiVersion << " (" << loaded->toolchain.text << ")\n"
                << "  file     " << found.file.string() << "\n";
      for (const auto& other : found.shadowed) {
        std::cout << "  shadows  " << other.string() << " (never loaded: first on the path wins)\n";
      }
      std::cout << "  about    " << info.description << "\n";
      const auto schema = call_plugin("plugin " + info.name + ": its config schema",
                                      [&] { return loaded->plugin->config_schema(); });
      for (const auto& key : schema) {
        std::cout << "  key      " << key.name << " (" << sdk::value_type_name(key.type)
                  << (key.required ? ", required" : "") << "): " << key.description << "\n";
      }
    } catch (const std::exception& error) {
      std::cout << found.name << " (unusable)\n  file     " << found.file.string()
                << "\n  error    " << error.what() << "\n";
      ++broken;
    }
  }
  return broken == 0 ? 0 : 1;
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool verbose = false;
  while (!args.empty() && args.front().size() > 1 && args.front()[0] == '-') {
    const std::string flag = args.front();
    args.erase(args.begin());
    if (flag == "-v" || flag == "--verbose") {
      verbose = true;
    } else if (flag == "--version") {
      std::cout << "berth " << kVersion << " (plugin ABI " << sdk::kAbiVersion << ")\n";
      return 0;
    } else if (flag == "-h" || flag == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "berth: unknown option " << flag << "\n" << kUsage;
      return 2;
    }
  }
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  // -v is also accepted after the command.
  for (auto it = args.begin(); it != args.end();) {
    if (*it == "-v" || *it == "--verbose") {
      verbose = true;
      it = args.erase(it);
    } else {
      ++it;
    }
  }
  const auto log = make_logger(verbose);
  try {
    if (command == "build") return cmd_build(args, log);
    if (command == "plan") return cmd_plan(args);
    if (command == "plugins") return cmd_plugins(args);
    std::cerr << "berth: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const po::error& error) {
    std::cerr << "berth " << command << ": " << error.what() << "\n";
    return 2;
  } catch (const sdk::ConfigError& error) {
    std::cerr << "berth: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "berth: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace berth::core
