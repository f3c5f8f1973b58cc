// apt confined to a directory of its own: its sources, preferences, lists, state and cache
// live under one root, so a build never reads or changes the host's apt configuration and
// needs no lock of the host's. The core's package fetcher and engine-docker's source
// downloads both run apt this way; the caller writes ROOT/etc/sources.list (and
// ROOT/etc/preferences) and adds the options of its own job (architecture, archives, ...).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// Makes the directories apt expects under `root` and an empty dpkg status (nothing
// installed: apt resolves every dependency from the sources).
inline void prepare_private_apt(const std::filesystem::path& root) {
  for (const char* dir : {"etc/sources.list.d", "etc/preferences.d", "etc/apt.conf.d",
                          "state/lists/partial", "cache/archives/partial"}) {
    std::filesystem::create_directories(root / dir);
  }
  std::ofstream status(root / "state" / "status", std::ios::trunc);
  if (!status) throw Error("cannot write " + (root / "state" / "status").string());
}

// The apt-get / apt-cache options that keep apt under `root` (as prepare_private_apt made
// it): its configuration from ROOT/etc, lists and status from ROOT/state, downloads in
// ROOT/cache; run as root without apt's privilege drop (the directory is root's) or its lock.
inline std::vector<std::string> private_apt_options(const std::filesystem::path& root) {
  const std::filesystem::path etc = root / "etc";
  return {
      "-o", "Dir::Etc::SourceList=" + (etc / "sources.list").string(),
      "-o", "Dir::Etc::SourceParts=" + (etc / "sources.list.d").string(),
      "-o", "Dir::Etc::Preferences=" + (etc / "preferences").string(),
      "-o", "Dir::Etc::PreferencesParts=" + (etc / "preferences.d").string(),
      "-o", "Dir::Etc::Parts=" + (etc / "apt.conf.d").string(),
      "-o", "Dir::State=" + (root / "state").string(),
      "-o", "Dir::State::status=" + (root / "state" / "status").string(),
      "-o", "Dir::Cache=" + (root / "cache").string(),
      "-o", "APT::Sandbox::User=root",
      "-o", "Debug::NoLocking=true",
      "-o", "Acquire::Retries=3",
  };
}

}  // namespace berth::sdk
