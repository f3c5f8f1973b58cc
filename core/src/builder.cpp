#include "builder.hpp"

#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>

#include "berth/sdk/error.hpp"
#include "build_context.hpp"
#include "output_dir.hpp"
#include "plugin_call.hpp"
#include "process.hpp"

namespace berth::core {
namespace {

// Two builds in one work directory would trample each other: hold a lock for the run.
class WorkLock {
 public:
  explicit WorkLock(const fs::path& work)
      : fd_(::open((work / ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      throw sdk::Error("work directory " + work.string() + " is in use by another berth build");
    }
  }
  ~WorkLock() { ::close(fd_); }
  WorkLock(const WorkLock&) = delete;
  WorkLock& operator=(const WorkLock&) = delete;

 private:
  int fd_;
};

std::int64_t source_date_epoch(const Session& session) {
  if (session.config().berth->has("source_date_epoch")) {
    return session.config().berth->get_int("source_date_epoch", 0);
  }
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH")) return std::atoll(env);
  return 1700000000;  // fixed, so two builds of the same inputs are identical
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
  if (!out) throw sdk::Error("cannot write " + file.string());
}

// A fresh, empty directory (the work trees are rebuilt every run).
void reset_dir(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
}

// "plugin NAME VERSION SHA256 FILE TOOLCHAIN" for each plugin of the build: which code made
// the image, so two builds' manifests tell whether a plugin changed.
std::string plugin_records(const BuildState& state, const Session& session) {
  std::vector<std::string> argv = {"sha256sum", "--"};
  for (const auto& active : session.plugins()) argv.push_back(active.loaded->file.string());
  ProcessRequest request{argv, state.dirs.work, build_environment(state.source_date_epoch), true};
  const auto result = run_process(request, [](const std::string&) {});
  if (result.exit_code != 0) throw sdk::Error("sha256sum of the plugins failed");
  std::string records;
  std::size_t line_start = 0;
  for (const auto& active : session.plugins()) {
    const std::string hash = result.output.substr(line_start, 64);
    line_start = result.output.find('\n', line_start) + 1;
    const auto& info = active.loaded->info;
    records += "plugin " + info.name + " " + info.version + " " + hash + " " +
               active.loaded->file.string() + " " + active.loaded->toolchain.text + "\n";
  }
  return records;
}

void finalize(BuildState& state, const Session& session) {
  const fs::path& out = state.dirs.staging;
  write_text(out / "manifest.txt", "# Debian packages: NAME VERSION\n" + state.report.manifest() +
                                       "# plugins: plugin NAME VERSION SHA256 FILE TOOLCHAIN\n" +
                                       plugin_records(state, session));
  std::map<std::string, std::uint64_t> files;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (entry.is_regular_file()) files[entry.path().filename().string()] = entry.file_size();
  }
  write_text(out / "build-report.txt",
             "# config " + session.config().file.string() + "\n" + state.report.text(files));
  std::vector<std::string> argv = {"sha256sum"};
  for (const auto& [name, size] : files) {
    if (name != "SHA256SUMS") argv.push_back(name);
  }
  argv.push_back("build-report.txt");
  ProcessRequest request{argv, out, build_environment(state.source_date_epoch), true};
  const auto result = run_process(request, [](const std::string&) {});
  if (result.exit_code != 0) throw sdk::Error("sha256sum failed in " + out.string());
  write_text(out / "SHA256SUMS", result.output);
}

}  // namespace

void run_build(const Session& session, const BuildOptions& options,
               const std::shared_ptr<spdlog::logger>& log) {
  if (::geteuid() != 0) {
    throw sdk::Error(
        "berth build must run as root: the rootfs holds root-owned files and device nodes");
  }
  BuildState state;
  state.config = &session.config();
  state.debian = session.debian();
  state.log = log;
  state.source_date_epoch = source_date_epoch(session);
  state.dirs.work = fs::absolute(options.work_dir).lexically_normal();
  state.dirs.cache = fs::absolute(options.cache_dir).lexically_normal();
  fs::create_directories(state.dirs.work);
  fs::create_directories(state.dirs.cache);
  WorkLock lock(state.dirs.work);
  state.dirs.rootfs = state.dirs.work / "rootfs";
  state.dirs.initramfs = state.dirs.work / "initramfs";
  state.dirs.iso = state.dirs.work / "iso";
  reset_dir(state.dirs.initramfs);
  reset_dir(state.dirs.iso);
  fs::create_directories(state.dirs.rootfs);  // the bootstrap plugin owns its contents
  StagedOutput output(options.output_dir);
  state.dirs.staging = output.staging();

  std::map<std::string, std::unique_ptr<PluginContext>> contexts;
  for (const auto& active : session.plugins()) {
    contexts[active.loaded->info.name] = std::make_unique<PluginContext>(
        state, active.loaded->info.name, *active.section.table, active.loaded->data_dir);
  }
  // The core's own checks: [berth] as their table, no data of their own.
  contexts.try_emplace(kCoreHooks, std::make_unique<PluginContext>(
                                       state, kCoreHooks, *session.config().berth, fs::path()));

  using Clock = std::chrono::steady_clock;
  const auto build_start = Clock::now();
  const auto hooks = session.pipeline().ordered();
  std::size_t stage_number = 0;
  for (sdk::Stage stage : sdk::kAllStages) {
    ++stage_number;
    const std::string stage_name(sdk::stage_name(stage));
    bool announced = false;
    for (const HookEntry* hook : hooks) {
      if (hook->stage != stage) continue;
      if (!announced) {
        log->info("==> [{}/{}] {}", stage_number, sdk::kAllStages.size(), stage_name);
        announced = true;
      }
      const std::string label = hook->plugin + "/" + hook->name;
      const auto start = Clock::now();
      call_plugin(stage_name + ": " + label, [&] { hook->hook(*contexts.at(hook->plugin)); });
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      state.report.add_timing(stage_name, label, seconds);
      log->info("    {} ({:.1f} s)", label, seconds);
    }
  }
  finalize(state, session);
  output.commit();
  const double total = std::chrono::duration<double>(Clock::now() - build_start).count();
  for (const auto& line : state.report.summary()) log->info("    {}", line);
  log->info("==> done in {:.0f} s: {}", total,
            fs::absolute(options.output_dir).lexically_normal().string());
}

}  // namespace berth::core
