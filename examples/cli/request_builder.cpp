#include "request_builder.hpp"

#include <algorithm>

namespace ivsrt_cli::detail {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

ivsrt::result<void> check_required(const std::vector<member_flag>& flags, const command_input& in,
                                   const std::vector<std::string>& present_in_input) {
  std::string missing;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const member_flag& f = flags[i];
    if (!f.required || in.given[i]) continue;
    if (std::find(present_in_input.begin(), present_in_input.end(), f.wire_name) != present_in_input.end())
      continue;
    missing += (missing.empty() ? "--" : ", --") + f.flag;
  }
  if (missing.empty()) return {};
  return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                           "the following arguments are required: " + missing);
}

}  // namespace ivsrt_cli::detail
