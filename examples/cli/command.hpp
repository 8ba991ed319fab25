// A command of the CLI as main sees it: a name, what it calls, its flags and how to run it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "global_options.hpp"
#include "member_flag.hpp"

namespace ivsrt_cli {

struct command {
  std::string name;            // "create-stage"
  std::string_view operation;  // "CreateStage"
  std::string_view method;     // "POST"
  std::string_view uri;        // "/CreateStage"
  bool paginated = false;
  std::vector<member_flag> (*flags)() = nullptr;
  int (*run)(const global_options& g, const std::vector<std::string>& args) = nullptr;
};

}  // namespace ivsrt_cli
