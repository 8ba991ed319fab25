// Commands that are not operations of the service (for example participant-token tools). Add
// one by listing it in extra_commands.cpp; main dispatches it and lists it in help.
//
// `run` receives every argument except the program name and the command name, in order and as
// given, global options included: an extra command owns its whole command line and parses what
// it needs. `ivsrt-cli help <name>` runs it with {"--help"}. It returns the exit code, following
// the model commands' convention (0 success, 252 bad command line, 253 configuration, 254 service
// error, 255 anything else). Names must not be those of model commands, which are matched first.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ivsrt_cli {

struct extra_command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

std::span<const extra_command> extra_commands();

}  // namespace ivsrt_cli
