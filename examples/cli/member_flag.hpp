// One command-line flag per request member: its name, how its values are written on the command
// line, whether it is required, and its syntax for help.
#pragma once

#include <string>
#include <string_view>

namespace ivsrt_cli {

// How one value after a flag becomes JSON.
enum class value_kind : unsigned char { string, integer, number, boolean, enumeration, timestamp, json };

struct member_flag {
  std::string flag;            // without the leading "--", e.g. "max-results"
  std::string_view wire_name;  // the member's name in JSON, e.g. "maxResults"
  value_kind kind{};           // of the member, or of each element of a list of scalars
  bool list = false;           // a list of scalars: the flag takes several values
  bool required = false;
  std::string syntax;  // for help: "string", "CONNECTED|DISCONNECTED", JSON syntax...
};

}  // namespace ivsrt_cli
