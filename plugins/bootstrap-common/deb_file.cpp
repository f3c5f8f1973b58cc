#include "deb_file.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <exception>
#include <memory>
#include <sstream>
#include <thread>

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

ArchivePtr new_reader() {
  ArchivePtr reader(archive_read_new(), &archive_read_free);
  if (!reader) throw sdk::Error("libarchive: out of memory");
  return reader;
}

std::string error_of(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "unknown libarchive error";
}

// The member being read from the outer ar archive, as a stream for an inner reader:
// a deb's data.tar.* is read without holding it in memory.
struct MemberStream {
  archive* outer = nullptr;
  std::array<char, 1 << 16> buffer{};
};

la_ssize_t read_member(archive* /*inner*/, void* client, const void** data) {
  auto* stream = static_cast<MemberStream*>(client);
  *data = stream->buffer.data();
  return archive_read_data(stream->outer, stream->buffer.data(), stream->buffer.size());
}

std::string read_all(archive* a) {
  std::string out;
  std::array<char, 1 << 16> buffer{};
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buffer.data(), buffer.size());
    if (n < 0) throw sdk::Error(error_of(a));
    if (n == 0) break;
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return out;
}

// The ./control file out of control.tar[.gz|.xz|.zst], held in memory (a few KiB).
std::string control_from(const std::string& control_tar) {
  auto inner = new_reader();
  archive_read_support_filter_all(inner.get());
  archive_read_support_format_tar(inner.get());
  if (archive_read_open_memory(inner.get(), control_tar.data(), control_tar.size()) != ARCHIVE_OK) {
    throw sdk::Error(error_of(inner.get()));
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(inner.get(), &entry) == ARCHIVE_OK) {
    if (normalize_member_path(archive_entry_pathname(entry)) == "control")
      return read_all(inner.get());
  }
  throw sdk::Error("control.tar holds no control file");
}

std::vector<std::string> paths_from(archive* outer) {
  MemberStream stream;
  stream.outer = outer;
  auto inner = new_reader();
  archive_read_support_filter_all(inner.get());
  archive_read_support_format_tar(inner.get());
  if (archive_read_open(inner.get(), &stream, nullptr, read_member, nullptr) != ARCHIVE_OK) {
    throw sdk::Error(error_of(inner.get()));
  }
  std::vector<std::string> paths;
  archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(inner.get(), &entry)) == ARCHIVE_OK) {
    const char* name = archive_entry_pathname(entry);
    if (name) {
      std::string path = normalize_member_path(name);
      if (!path.empty()) paths.push_back(std::move(path));
    }
    if (archive_read_data_skip(inner.get()) != ARCHIVE_OK) throw sdk::Error(error_of(inner.get()));
  }
  if (status != ARCHIVE_EOF) throw sdk::Error(error_of(inner.get()));
  return paths;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::string normalize_member_path(const std::string& name) {
  std::string path = name;
  if (starts_with(path, "./")) path.erase(0, 2);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path == "." ? std::string() : path;
}

std::string control_field(const std::string& control, const std::string& field) {
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  const std::string wanted = lower(field);
  std::istringstream lines(control);
  std::string value;
  bool in_field = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) break;  // end of the first paragraph
    if (line.front() == ' ' || line.front() == '\t') {
      if (in_field) value += "\n" + line.substr(1);
      continue;
    }
    if (in_field) break;
    const auto colon = line.find(':');
    if (colon == std::string::npos || lower(line.substr(0, colon)) != wanted) continue;
    value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    in_field = true;
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) {
    value.pop_back();
  }
  return value;
}

DebContents read_deb(const std::filesystem::path& deb) {
  const std::string culprit = deb.string() + ": ";
  try {
    auto outer = new_reader();
    archive_read_support_format_ar(outer.get());
    if (archive_read_open_filename(outer.get(), deb.c_str(), 1 << 16) != ARCHIVE_OK) {
      throw sdk::Error(error_of(outer.get()));
    }
    DebContents contents;
    bool have_control = false;
    bool have_data = false;
    archive_entry* entry = nullptr;
    while (archive_read_next_header(outer.get(), &entry) == ARCHIVE_OK) {
      const std::string member = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
      if (starts_with(member, "control.tar")) {
        const std::string control = control_from(read_all(outer.get()));
        contents.package = control_field(control, "Package");
        contents.version = control_field(control, "Version");
        contents.architecture = control_field(control, "Architecture");
        have_control = true;
      } else if (starts_with(member, "data.tar")) {
        contents.paths = paths_from(outer.get());
        have_data = true;
      }
    }
    if (!have_control || !have_data) throw sdk::Error("not a Debian binary package");
    if (contents.package.empty() || contents.version.empty()) {
      throw sdk::Error("control file lacks Package or Version");
    }
    return contents;
  } catch (const sdk::Error& error) {
    throw sdk::Error(culprit + error.what());
  }
}

std::string render_contents(const DebContents& contents) {
  std::string text = "Package: " + contents.package + "\nVersion: " + contents.version +
                     "\nArchitecture: " + contents.architecture +
                     "\nPaths: " + std::to_string(contents.paths.size()) + "\n\n";
  for (const auto& path : contents.paths) text += path + "\n";
  return text;
}

std::optional<DebContents> parse_contents(const std::string& text) {
  const auto body = text.find("\n\n");
  if (body == std::string::npos) return std::nullopt;
  const std::string header = text.substr(0, body + 1);
  DebContents contents;
  contents.package = control_field(header, "Package");
  contents.version = control_field(header, "Version");
  contents.architecture = control_field(header, "Architecture");
  std::istringstream lines(text.substr(body + 2));
  for (std::string line; std::getline(lines, line);) contents.paths.push_back(line);
  // The count guards against a truncated file.
  if (contents.package.empty() || contents.version.empty() ||
      control_field(header, "Paths") != std::to_string(contents.paths.size())) {
    return std::nullopt;
  }
  return contents;
}

std::vector<DebContents> read_debs(const std::vector<std::filesystem::path>& debs) {
  std::vector<DebContents> contents(debs.size());
  std::vector<std::exception_ptr> errors(debs.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next++) < debs.size();) {
      try {
        contents[i] = read_deb(debs[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                      std::max<std::size_t>(debs.size(), 1));
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);  // the first failing file, in order
  }
  return contents;
}

}  // namespace berth::bootstrap
