// The account databases (/etc/passwd, group, shadow, gshadow) as the extract-only
// bootstrap leaves them: possibly missing, since base-passwd's postinst never ran.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::init_busybox {

// One colon-separated file; entries keep their order.
class AccountFile {
 public:
  using Entry = std::vector<std::string>;

  AccountFile() = default;
  AccountFile(std::string path, std::size_t fields) : path_(std::move(path)), fields_(fields) {}

  // Throws sdk::Error naming path:line for a line with the wrong number of fields.
  static AccountFile parse(std::string_view text, const std::string& path, std::size_t fields);

  std::string text() const;
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(std::string_view name) const;
  Entry* find(std::string_view name);
  void add(Entry entry);  // throws when the name exists or the field count is wrong
  bool uses_id(std::size_t field, std::uint32_t id) const;

 private:
  std::string path_;
  std::size_t fields_ = 0;
  std::vector<Entry> entries_;
};

inline constexpr std::size_t kPasswdFields = 7;   // name:pw:uid:gid:gecos:home:shell
inline constexpr std::size_t kGroupFields = 4;    // name:pw:gid:members
inline constexpr std::size_t kShadowFields = 9;   // name:pw:lastchg:min:max:warn:inactive:expire:
inline constexpr std::size_t kGshadowFields = 4;  // name:pw:admins:members

// The accounts every Debian system has, for a rootfs without base-passwd's masters.
std::string fallback_passwd();
std::string fallback_group();

// The lowest id in Debian's system range (100..999) that is neither a uid in passwd nor
// a gid in group, so a new system user can share the number with its own group.
std::uint32_t free_system_id(const AccountFile& passwd, const AccountFile& group);

// A system user with a group of the same name and number (adduser --system --group).
void add_system_user(AccountFile& passwd, AccountFile& group, const std::string& name,
                     const std::string& home);

// Give every user in passwd a /etc/shadow entry, locked ("*") unless it has one; root
// gets `root_hash` when that is set. `days` is the day of the last change (days since
// 1970, from SOURCE_DATE_EPOCH, so the file is reproducible).
void complete_shadow(AccountFile& shadow, const AccountFile& passwd, const std::string& root_hash,
                     std::int64_t days);
// Give every group a /etc/gshadow entry without a group password.
void complete_gshadow(AccountFile& gshadow, const AccountFile& group);
// Passwords live in shadow: every passwd entry's password field becomes "x".
void point_to_shadow(AccountFile& passwd);

}  // namespace berth::init_busybox
