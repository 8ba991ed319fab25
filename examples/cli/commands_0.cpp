// Commands for share 0 of the operations (see registry.hpp).
#include "commands_slice.hpp"

template std::vector<ivsrt_cli::command> ivsrt_cli::command_slice<0>();
