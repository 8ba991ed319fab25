// The spare capacity a buffer keeps after a JSON document so that simdjson can read it in place;
// apart from json_reader.hpp so that the transport can size its buffers without simdjson's header.
#pragma once

#include <cstddef>

namespace ivsrt::json {

inline constexpr std::size_t padding = 64;  // simdjson::SIMDJSON_PADDING, checked in json_reader.hpp

}  // namespace ivsrt::json
