// Everything a Berth plugin needs: #include <berth/sdk.hpp>
#pragma once

#include "berth/sdk/abi.hpp"
#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/plugin.hpp"
#include "berth/sdk/private_apt.hpp"
#include "berth/sdk/programs.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/sizes.hpp"
#include "berth/sdk/stage.hpp"
