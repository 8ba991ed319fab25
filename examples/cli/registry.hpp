// Every model command. They are built in several translation units (commands_N.cpp), each
// instantiating the generic command for its share of ivsrt::all_operations, so that the slow
// part of the build runs in parallel.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "command.hpp"

namespace ivsrt_cli {

inline constexpr std::size_t command_slices = 4;

// The commands of the operations at positions Slice, Slice + command_slices, ... of
// ivsrt::all_operations. Defined in commands_slice.hpp, instantiated by commands_<Slice>.cpp.
template <std::size_t Slice>
std::vector<command> command_slice();

// Every model command, sorted by name.
const std::vector<command>& model_commands();

const command* find_model_command(std::string_view name);

}  // namespace ivsrt_cli
