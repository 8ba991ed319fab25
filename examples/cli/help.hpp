// Help text: the whole tool, and one model command with its flags and their types.
#pragma once

#include "command.hpp"

namespace ivsrt_cli {

void print_tool_help();
void print_command_help(const command& c);

}  // namespace ivsrt_cli
