// Parameter values read from files, as in the AWS CLI: a value "file://PATH" stands for the
// contents of PATH.
#pragma once

#include <string>
#include <string_view>

#include "ivsrt/error.hpp"

namespace ivsrt_cli {

ivsrt::result<std::string> read_text_file(const std::string& path);

// The value itself, or the contents of the file it names with "file://".
ivsrt::result<std::string> resolve_value(std::string_view value);

}  // namespace ivsrt_cli
