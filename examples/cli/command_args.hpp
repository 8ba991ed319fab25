// A command's own arguments (after the global options are taken out): the member flags become
// one JSON object with the members' wire names, ready for the library's JSON reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ivsrt/error.hpp"
#include "member_flag.hpp"

namespace ivsrt_cli {

// The AWS CLI's pagination options of paginated commands.
struct paging_options {
  std::optional<std::string> starting_token;
  std::optional<std::int64_t> page_size;
  std::optional<std::int64_t> max_items;
  [[nodiscard]] bool any() const { return starting_token || page_size || max_items; }
};

struct command_input {
  std::string flags_json;                     // {"maxResults":5,...}: the members given as flags
  std::vector<bool> given;                    // per member flag: was it on the command line?
  std::optional<std::string> cli_input_json;  // --cli-input-json, file:// already read
  paging_options paging;
};

// Fails with a validation error (exit 252) naming the offending flag.
ivsrt::result<command_input> parse_command_args(const std::vector<std::string>& args,
                                                const std::vector<member_flag>& flags, bool paginated);

}  // namespace ivsrt_cli
