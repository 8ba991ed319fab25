// Commands for share 3 of the operations (see registry.hpp).
#include "commands_slice.hpp"

template std::vector<ivsrt_cli::command> ivsrt_cli::command_slice<3>();
