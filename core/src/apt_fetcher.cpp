#include "apt_fetcher.hpp"

#include <fstream>
#include <functional>
#include <sstream>

#include "berth/sdk/error.hpp"
#include "berth/sdk/private_apt.hpp"

namespace berth::core {
namespace {

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::trunc);
  out << text;
  if (!out) throw sdk::Error("cannot write " + file.string());
}

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

AptFetcher::AptFetcher(sdk::DebianSources sources, fs::path cache_dir, CommandRunner run)
    : sources_(std::move(sources)), run_(std::move(run)) {
  // Lists depend on the sources; the downloaded .debs do not (names carry versions).
  const auto key = std::hash<std::string>{}(sources_list(sources_) + sources_.architecture);
  root_ = cache_dir / "apt" / ("lists-" + std::to_string(key % 1000000007));
  archives_ = cache_dir / "apt" / "archives";
}

std::string AptFetcher::sources_list(const sdk::DebianSources& sources) {
  std::ostringstream out;
  for (const auto& source : sources.sources) {
    out << "deb [signed-by=" << sources.keyring.string() << "] " << source.uri << " "
        << source.suite;
    for (const auto& component : source.components) out << " " << component;
    out << "\n";
  }
  return out.str();
}

std::string AptFetcher::preferences(const sdk::DebianSources& sources) {
  std::ostringstream out;
  for (const auto& pin : sources.pins) {
    // A bare suite name matches either the archive (a=) or the codename (n=).
    const bool explicit_pin = pin.release.find('=') != std::string::npos;
    out << "Package: " << pin.package << "\n"
        << "Pin: release " << (explicit_pin ? pin.release : "n=" + pin.release) << "\n"
        << "Pin-Priority: " << pin.priority << "\n\n";
  }
  return out.str();
}

std::vector<std::string> AptFetcher::apt_options() const {
  auto options = sdk::private_apt_options(root_);
  // The .debs go to one directory for every set of sources (their names carry versions).
  for (const std::string& option :
       {"Dir::Cache::archives=" + archives_.string(), "APT::Architecture=" + sources_.architecture,
        "APT::Architectures=" + sources_.architecture,
        std::string("APT::Install-Recommends=false")}) {
    options.insert(options.end(), {"-o", option});
  }
  options.push_back("-q");
  return options;
}

void AptFetcher::prepare() {
  sdk::prepare_private_apt(root_);
  fs::create_directories(archives_ / "partial");
  write_file(root_ / "etc" / "sources.list", sources_list(sources_));
  write_file(root_ / "etc" / "preferences", preferences(sources_));
}

void AptFetcher::update_lists() {
  if (updated_) return;
  prepare();
  std::vector<std::string> argv = {"apt-get"};
  const auto options = apt_options();
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("update");
  run_(argv, {});
  updated_ = true;
}

sdk::FetchedPackage AptFetcher::parse_uri_line(const std::string& line) {
  std::istringstream in(line);
  std::string uri;
  std::string file;
  in >> uri >> file;
  if (file.size() < 5 || file.substr(file.size() - 4) != ".deb") {
    throw sdk::Error("apt: unexpected download line: " + line);
  }
  const std::string decoded = url_decode(file);
  const auto first = decoded.find('_');
  const auto second = decoded.find('_', first + 1);
  if (first == std::string::npos || second == std::string::npos) {
    throw sdk::Error("apt: unexpected package file name: " + decoded);
  }
  sdk::FetchedPackage package;
  package.name = decoded.substr(0, first);
  package.version = decoded.substr(first + 1, second - first - 1);
  package.deb = file;  // as apt names it in its archive directory
  return package;
}

std::vector<std::string> AptFetcher::parse_simulation(const std::string& output) {
  // "Inst libc6 (2.41-12 Debian:13.2/stable [amd64])" -> "libc6=2.41-12"
  std::vector<std::string> out;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Inst ", 0) != 0) continue;
    std::istringstream words(line.substr(5));
    std::string name;
    std::string version;
    words >> name >> version;
    if (name.empty() || version.size() < 2 || version.front() != '(') {
      throw sdk::Error("apt: unexpected simulation line: " + line);
    }
    out.push_back(name + "=" + version.substr(1));
  }
  return out;
}

std::vector<sdk::FetchedPackage> AptFetcher::fetch(const std::vector<std::string>& names,
                                                   bool with_dependencies) {
  if (names.empty()) return {};
  update_lists();
  std::vector<std::string> base = {"apt-get"};
  const auto options = apt_options();
  base.insert(base.end(), options.begin(), options.end());

  // 1. Which exact versions the request means. `install --print-uris` would leave out
  // what is already cached, so resolve by simulating an install into an empty system.
  std::vector<std::string> wanted = names;
  if (with_dependencies) {
    std::vector<std::string> simulate = base;
    simulate.insert(simulate.end(), {"-s", "install"});
    simulate.insert(simulate.end(), names.begin(), names.end());
    wanted = parse_simulation(run_(simulate, {}));
    if (wanted.empty()) throw sdk::Error("apt: nothing to install for the requested packages");
  }
  // 2. Their file names in the archive directory.
  std::vector<std::string> plan = base;
  plan.insert(plan.end(), {"--print-uris", "download"});
  plan.insert(plan.end(), wanted.begin(), wanted.end());
  std::vector<sdk::FetchedPackage> packages;
  std::istringstream lines(run_(plan, {}));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '\'') packages.push_back(parse_uri_line(line));
  }
  // 3. Download what the cache lacks.
  std::vector<std::string> missing;
  for (auto& package : packages) {
    package.deb = archives_ / package.deb;
    if (!fs::exists(package.deb)) missing.push_back(package.name + "=" + package.version);
  }
  if (!missing.empty()) {
    std::vector<std::string> download = base;
    download.push_back("download");
    download.insert(download.end(), missing.begin(), missing.end());
    run_(download, archives_);  // apt-get download writes into its working directory
  }
  for (const auto& package : packages) {
    if (!fs::exists(package.deb))
      throw sdk::Error("apt: " + package.deb.string() + " was not downloaded");
  }
  return packages;
}

}  // namespace berth::core
