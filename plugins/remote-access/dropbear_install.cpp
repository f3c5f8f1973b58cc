#include "dropbear_install.hpp"

#include <sstream>

#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/source_apt.hpp"

namespace berth::remote_access {

namespace fs = std::filesystem;

void install_built_dropbear(sdk::BuildContext& ctx, const BuiltDropbear& built) {
  const fs::path root = ctx.rootfs();
  const fs::path program = built.root / "usr/sbin/dropbear";
  sdk::replace_in_root(root, "/usr/sbin/dropbear", program);
  // dropbearkey: the same file (a hard link, one copy in the image), which runs as the key
  // generator by its name.
  const fs::path key = sdk::place_in_root(root, "/usr/bin/dropbearkey", sdk::LastLink::keep);
  fs::remove(key);
  fs::create_directories(key.parent_path());
  fs::create_hard_link(sdk::place_in_root(root, "/usr/sbin/dropbear", sdk::LastLink::keep), key);

  std::ostringstream owners;
  owners << "usr/sbin/dropbear\t" << kBuiltOwner << '\n';
  owners << "usr/bin/dropbearkey\t" << kBuiltOwner << '\n';
  const fs::path list = ctx.work_dir() / "file-owners.txt";
  sdk::detail::write_file(list, owners.str());
  sdk::append_fact(ctx, sdk::facts::kFileOwners, list.string());
  const auto bytes = fs::file_size(program);
  ctx.report_size("remote-access: dropbear (bundled libtom)", bytes);
  ctx.info("dropbear " + built.source.version +
           " with its bundled libtomcrypt and libtommath (dropbearkey a link to it): " +
           std::to_string(bytes) + " bytes");
}

}  // namespace berth::remote_access
