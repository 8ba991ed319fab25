// Building blocks of every model header, and the shapes several areas share.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/open_enum.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

using Tags = std::map<std::string, std::string>;

enum class ThumbnailStorageType { SEQUENTIAL, LATEST };
constexpr auto enum_strings(ThumbnailStorageType /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"SEQUENTIAL", "LATEST"};
}

using ThumbnailStorageTypeList = std::vector<open_enum<ThumbnailStorageType>>;

using Time = timestamp;

}  // namespace ivsrt
