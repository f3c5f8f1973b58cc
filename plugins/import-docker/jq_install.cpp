#include "jq_install.hpp"

#include <string>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/source_apt.hpp"

namespace berth::import_docker {

namespace fs = std::filesystem;

void install_built_jq(sdk::BuildContext& ctx, const BuiltJq& built) {
  const fs::path program = built.root / "usr/bin/jq";
  if (!fs::is_regular_file(program)) {
    throw sdk::Error(built.root.string() + " holds no usr/bin/jq (a damaged cache entry?)");
  }
  // Whatever is there goes (Debian's program, or a link in its place), then the built file
  // with its mode (0755, as the cache keeps it).
  sdk::replace_in_root(ctx.rootfs(), "/usr/bin/jq", program);

  const fs::path list = ctx.work_dir() / "file-owners.txt";
  sdk::detail::write_file(list, std::string("usr/bin/jq\t") + kJqOwner + "\n");
  sdk::append_fact(ctx, sdk::facts::kFileOwners, list.string());
  const auto bytes = fs::file_size(program);
  ctx.report_size("import-docker: jq (without regex)", bytes);
  ctx.info("jq " + built.source.version +
           " without regular expressions, libjq linked in: " + std::to_string(bytes) + " bytes");
}

}  // namespace berth::import_docker
