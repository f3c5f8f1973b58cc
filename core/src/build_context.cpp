#include "build_context.hpp"

#include "archive_writer.hpp"
#include "berth/sdk/error.hpp"
#include "build_info.hpp"
#include "process.hpp"

namespace berth::core {

PluginContext::PluginContext(BuildState& state, std::string plugin, const sdk::ConfigTable& table,
                             fs::path data_dir)
    : state_(state), plugin_(std::move(plugin)), table_(table), data_dir_(std::move(data_dir)) {}

fs::path PluginContext::work_dir() const {
  fs::path dir = state_.dirs.work / "plugins" / plugin_;
  fs::create_directories(dir);
  return dir;
}

std::string PluginContext::berth_version() const {
  return kVersion;
}

void PluginContext::log(sdk::LogLevel level, const std::string& message) {
  const std::string line = plugin_ + ": " + message;
  switch (level) {
    case sdk::LogLevel::debug:
      state_.log->debug(line);
      break;
    case sdk::LogLevel::info:
      state_.log->info("    " + line);
      break;
    case sdk::LogLevel::warn:
      state_.log->warn("    warning: " + line);
      break;
  }
}

sdk::RunResult PluginContext::run(const std::vector<std::string>& argv,
                                  const sdk::RunOptions& options) {
  ProcessRequest request;
  request.argv = argv;
  request.cwd = options.cwd.empty() ? state_.dirs.work : options.cwd;
  request.env = build_environment(state_.source_date_epoch);
  for (const auto& [key, value] : options.env) request.env[key] = value;
  request.capture = options.capture;
  state_.log->debug("{}: $ {}", plugin_, quote_command(argv));
  const auto result =
      run_process(request, [&](const std::string& line) { state_.log->debug("  | {}", line); });
  if (options.check && result.exit_code != 0) {
    throw sdk::Error(argv.front() + " exited with status " + std::to_string(result.exit_code) +
                     (result.stderr_tail.empty() ? "" : ": " + result.stderr_tail));
  }
  return {result.exit_code, result.output};
}

std::vector<sdk::FetchedPackage> PluginContext::fetch_packages(
    const std::vector<std::string>& names, bool with_dependencies) {
  if (!state_.apt) {
    state_.apt = std::make_unique<AptFetcher>(
        state_.debian, state_.dirs.cache,
        [this](const std::vector<std::string>& argv, const fs::path& cwd) {
          sdk::RunOptions options;
          options.capture = true;
          options.cwd = cwd;
          return run(argv, options).output;
        });
  }
  return state_.apt->fetch(names, with_dependencies);
}

void PluginContext::extract_deb(const fs::path& deb, const fs::path& target) {
  if (!fs::is_regular_file(deb)) throw sdk::Error(deb.string() + ": no such package file");
  fs::create_directories(target);
  run({"dpkg-deb", "--extract", deb.string(), target.string()});
}

void PluginContext::compress(const fs::path& raw, const fs::path& archive,
                             sdk::Compression compression) {
  // External compressors, because the kernel wants particular variants: xz with a
  // CRC32 check, lz4 in the legacy frame format. gzip and xz write <raw>.gz/.xz.
  const std::string in = raw.string();
  fs::path produced = archive;
  switch (compression) {
    case sdk::Compression::none:
      produced = raw;
      break;
    case sdk::Compression::gzip:
      run({"gzip", "-9", "-n", "-f", in});
      produced = in + ".gz";
      break;
    case sdk::Compression::xz:
      run({"xz", "-9", "--check=crc32", "-T1", "-f", in});
      produced = in + ".xz";
      break;
    case sdk::Compression::zstd:
      run({"zstd", "-10", "-q", "-f", "--rm", in, "-o", archive.string()});
      break;
    case sdk::Compression::lz4:
      run({"lz4", "-l", "-9", "-q", "-f", "--rm", in, archive.string()});
      break;
  }
  if (produced != archive) fs::rename(produced, archive);
}

void PluginContext::write_cpio(const fs::path& tree, const fs::path& archive,
                               sdk::Compression compression) {
  fs::create_directories(archive.parent_path());
  const fs::path raw = archive.string() + ".raw";
  write_archive(tree, raw, ArchiveFormat::cpio_newc, state_.source_date_epoch);
  compress(raw, archive, compression);
}

void PluginContext::write_tar(const fs::path& tree, const fs::path& archive,
                              sdk::Compression compression) {
  fs::create_directories(archive.parent_path());
  const fs::path raw = archive.string() + ".raw";
  write_archive(tree, raw, ArchiveFormat::tar_pax, state_.source_date_epoch);
  compress(raw, archive, compression);
}

void PluginContext::copy_tree(const fs::path& source, const fs::path& target) {
  if (!fs::is_directory(source))
    throw sdk::Error("copy_tree: " + source.string() + " is not a directory");
  fs::create_directories(target);
  // cp -a keeps modes, owners and symlinks, and merges into an existing tree; the
  // trailing /. copies the contents rather than the directory.
  run({"cp", "-a", "--no-preserve=timestamps", (source / ".").string(), target.string()});
}

void PluginContext::publish(const std::string& key, const std::string& value) {
  state_.log->debug("{}: publish {} = {}", plugin_, key, value);
  state_.facts[key] = value;
}

std::optional<std::string> PluginContext::lookup(const std::string& key) const {
  auto it = state_.facts.find(key);
  if (it == state_.facts.end()) return std::nullopt;
  return it->second;
}

void PluginContext::report_size(const std::string& component, std::uint64_t bytes) {
  state_.report.add_size(component, bytes);
}

void PluginContext::report_removed(const std::string& rule, std::uint64_t files,
                                   std::uint64_t bytes) {
  state_.report.add_removed(rule, files, bytes);
}

void PluginContext::record_packages(const std::vector<sdk::FetchedPackage>& packages) {
  state_.report.add_packages(packages);
}

}  // namespace berth::core
