// Errors as the AWS CLI v2 reports them: text on stderr and its exit codes.
#pragma once

#include <string_view>

#include "ivsrt/error.hpp"

namespace ivsrt_cli {

enum exit_code : int {
  exit_ok = 0,
  exit_usage = 252,          // bad command line or invalid input, client-side validation included
  exit_configuration = 253,  // region, endpoint, credentials
  exit_service = 254,        // the service answered with an error
  exit_other = 255,          // transport, unreadable response, anything else
};

int exit_code_for(const ivsrt::error& e);

// Prints e to stderr and returns its exit code. `command` and `operation` say what was being
// done; either may be empty.
int report(const ivsrt::error& e, std::string_view command, std::string_view operation);

}  // namespace ivsrt_cli
