#include "accounts.hpp"

#include <algorithm>
#include <utility>

#include "berth/sdk/error.hpp"

namespace berth::init_busybox {

namespace {

std::vector<std::string> split(std::string_view line, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(separator, start);
    out.emplace_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

AccountFile AccountFile::parse(std::string_view text, const std::string& path, std::size_t fields) {
  AccountFile file(path, fields);
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    ++line_number;
    start = end + 1;
    if (line.empty()) continue;
    auto entry = split(line, ':');
    if (entry.size() != fields) {
      throw sdk::Error(path + ":" + std::to_string(line_number) + ": expected " +
                       std::to_string(fields) + " colon-separated fields, found " +
                       std::to_string(entry.size()));
    }
    file.entries_.push_back(std::move(entry));
  }
  return file;
}

std::string AccountFile::text() const {
  std::string out;
  for (const auto& entry : entries_) {
    for (std::size_t i = 0; i < entry.size(); ++i) {
      if (i > 0) out += ':';
      out += entry[i];
    }
    out += '\n';
  }
  return out;
}

const AccountFile::Entry* AccountFile::find(std::string_view name) const {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.front() == name; });
  return it == entries_.end() ? nullptr : &*it;
}

AccountFile::Entry* AccountFile::find(std::string_view name) {
  return const_cast<Entry*>(std::as_const(*this).find(name));
}

void AccountFile::add(Entry entry) {
  if (entry.size() != fields_) {
    throw sdk::Error(path_ + ": entry '" + (entry.empty() ? "" : entry.front()) + "' needs " +
                     std::to_string(fields_) + " fields");
  }
  if (find(entry.front())) throw sdk::Error(path_ + ": '" + entry.front() + "' exists already");
  entries_.push_back(std::move(entry));
}

bool AccountFile::uses_id(std::size_t field, std::uint32_t id) const {
  const std::string wanted = std::to_string(id);
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& entry) { return entry.at(field) == wanted; });
}

std::string fallback_passwd() {
  return "root:x:0:0:root:/root:/bin/sh\n"
         "daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
         "nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
}

std::string fallback_group() {
  // tty, disk and dialout because /etc/mdev.conf gives device nodes to them.
  return "root:*:0:\n"
         "daemon:*:1:\n"
         "tty:*:5:\n"
         "disk:*:6:\n"
         "dialout:*:20:\n"
         "users:*:100:\n"
         "nogroup:*:65534:\n";
}

std::uint32_t free_system_id(const AccountFile& passwd, const AccountFile& group) {
  for (std::uint32_t id = 100; id <= 999; ++id) {
    if (!passwd.uses_id(2, id) && !group.uses_id(2, id)) return id;
  }
  throw sdk::Error("/etc/passwd: no free system id left in 100..999");
}

void add_system_user(AccountFile& passwd, AccountFile& group, const std::string& name,
                     const std::string& home) {
  const std::string id = std::to_string(free_system_id(passwd, group));
  group.add({name, "*", id, ""});
  passwd.add({name, "*", id, id, name, home, "/usr/sbin/nologin"});
}

void complete_shadow(AccountFile& shadow, const AccountFile& passwd, const std::string& root_hash,
                     std::int64_t days) {
  for (const auto& user : passwd.entries()) {
    const std::string& name = user.front();
    if (!shadow.find(name)) {
      shadow.add({name, "*", std::to_string(days), "0", "99999", "7", "", "", ""});
    }
  }
  if (!root_hash.empty()) {
    if (auto* root = shadow.find("root")) root->at(1) = root_hash;
  }
}

void complete_gshadow(AccountFile& gshadow, const AccountFile& group) {
  for (const auto& entry : group.entries()) {
    if (!gshadow.find(entry.front())) gshadow.add({entry.front(), "*", "", entry.back()});
  }
}

void point_to_shadow(AccountFile& passwd) {
  std::vector<std::string> names;
  for (const auto& entry : passwd.entries()) names.push_back(entry.front());
  for (const auto& name : names) passwd.find(name)->at(1) = "x";
}

}  // namespace berth::init_busybox
