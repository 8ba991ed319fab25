#include "extra_commands.hpp"

namespace ivsrt_cli {

std::span<const extra_command> extra_commands() {
  return {};
}

}  // namespace ivsrt_cli
