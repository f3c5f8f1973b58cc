#include "files_installer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "berth/sdk/error.hpp"
#include "unique_fd.hpp"

namespace berth::core {
namespace {

// Directories are walked by descriptor (UniqueFd), one name at a time, with O_NOFOLLOW: the
// path string of a target is never handed to the kernel, so no link on the way is followed.

[[noreturn]] void fail(const std::string& where, const std::string& why) {
  throw sdk::Error(where + ": " + why);
}

std::string errno_text() {
  return std::strerror(errno);
}

bool starts_with_shebang(const std::string& head) {
  return head.size() >= 2 && head[0] == '#' && head[1] == '!';
}

void own_by_root(int fd, const std::string& where) {
  if (::geteuid() != 0) return;  // unit tests; a build always runs as root
  if (::fchown(fd, 0, 0) != 0) fail(where, "cannot chown: " + errno_text());
}

// Whatever is at `name` in `dir`, without following it: 0 when nothing is.
mode_t existing_type(int dir, const std::string& name, const std::string& where) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st.st_mode & S_IFMT;
  if (errno == ENOENT) return 0;
  fail(where, "cannot stat in the image: " + errno_text());
}

// A file or link is made under a temporary name beside its place and renamed over it:
// rename replaces a link rather than writing through it, and nothing is half-written.
std::string temporary_name(const std::string& name) {
  return ".berth-install." + name;
}

void replace_with(int dir, const std::string& name, const std::string& where) {
  if (existing_type(dir, name, where) == S_IFDIR) {
    ::unlinkat(dir, temporary_name(name).c_str(), 0);
    fail(where, "a directory in the image, where this plugin ships a file");
  }
  if (::renameat(dir, temporary_name(name).c_str(), dir, name.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlinkat(dir, temporary_name(name).c_str(), 0);
    fail(where, "cannot install: " + why);
  }
}

void install_file(const fs::path& source, const struct stat& info, int dir, const std::string& name,
                  const std::string& where) {
  const UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (in.get() < 0) fail(source.string(), "cannot read: " + errno_text());
  const std::string temp = temporary_name(name);
  ::unlinkat(dir, temp.c_str(), 0);  // left by an interrupted build
  const UniqueFd out(
      ::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (out.get() < 0) fail(where, "cannot create: " + errno_text());
  std::string head;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
    if (got < 0) fail(source.string(), "cannot read: " + errno_text());
    if (got == 0) break;
    if (head.size() < 2) head.append(buffer.data(), std::min<std::size_t>(2, got));
    for (ssize_t done = 0; done < got;) {
      const ssize_t put = ::write(out.get(), buffer.data() + done, got - done);
      if (put < 0) fail(where, "cannot write: " + errno_text());
      done += put;
    }
  }
  mode_t mode = info.st_mode & 07777;
  if (starts_with_shebang(head)) mode |= 0111;
  own_by_root(out.get(), where);
  if (::fchmod(out.get(), mode) != 0) fail(where, "cannot chmod: " + errno_text());
  replace_with(dir, name, where);
}

void install_link(const fs::path& source, int dir, const std::string& name,
                  const std::string& where) {
  std::error_code error;
  const fs::path points_to = fs::read_symlink(source, error);
  if (error) fail(source.string(), "cannot read the link: " + error.message());
  const std::string temp = temporary_name(name);
  ::unlinkat(dir, temp.c_str(), 0);
  if (::symlinkat(points_to.c_str(), dir, temp.c_str()) != 0) {
    fail(where, "cannot create the link: " + errno_text());
  }
  if (::geteuid() == 0) ::fchownat(dir, temp.c_str(), 0, 0, AT_SYMLINK_NOFOLLOW);
  replace_with(dir, name, where);
}

// The directory `name` in `dir`, made if missing; a link there is refused, not followed.
int open_directory(int dir, const std::string& name, mode_t mode, const std::string& where) {
  switch (existing_type(dir, name, where)) {
    case 0: {
      if (::mkdirat(dir, name.c_str(), 0700) != 0) fail(where, "cannot mkdir: " + errno_text());
      const int made = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (made < 0) fail(where, "cannot open: " + errno_text());
      own_by_root(made, where);
      if (::fchmod(made, mode) != 0) fail(where, "cannot chmod: " + errno_text());
      return made;
    }
    case S_IFDIR:
      break;
    case S_IFLNK:
      fail(where,
           "a symbolic link in the image; files are never written through links (ship them "
           "under the real directory)");
    default:
      fail(where, "not a directory in the image, where this plugin ships one");
  }
  const int opened = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (opened < 0) fail(where, "cannot open: " + errno_text());
  return opened;
}

void install_directory(const fs::path& source, int target, const std::string& where) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(source)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());  // the same order, so the same first error
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    const std::string at = where + "/" + name;
    struct stat info {};
    if (::lstat(entry.c_str(), &info) != 0) fail(entry.string(), errno_text());
    if (S_ISDIR(info.st_mode)) {
      const UniqueFd child(open_directory(target, name, info.st_mode & 07777, at));
      install_directory(entry, child.get(), at);
    } else if (S_ISREG(info.st_mode)) {
      install_file(entry, info, target, name, at);
    } else if (S_ISLNK(info.st_mode)) {
      install_link(entry, target, name, at);
    } else {
      fail(entry.string(), "neither a file, a directory nor a link; not installed");
    }
  }
}

}  // namespace

void install_files(const fs::path& source, const fs::path& target) {
  if (!fs::is_directory(source)) fail(source.string(), "not a directory");
  // The target itself is the build's own directory (work/rootfs); only what is inside it
  // comes from packages and plugins.
  const UniqueFd root(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) fail(target.string(), "cannot open: " + errno_text());
  install_directory(source, root.get(), target.filename().string());
}

}  // namespace berth::core
