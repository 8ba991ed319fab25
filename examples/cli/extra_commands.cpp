#include "extra_commands.hpp"

#include <array>

#include "token_commands.hpp"

namespace ivsrt_cli {

namespace {
// Overloads of the token commands also take streams; these pick the one main calls.
int create_key_pair(const std::vector<std::string>& args) {
  return run_create_key_pair(args);
}
int mint_token(const std::vector<std::string>& args) {
  return run_mint_token(args);
}

constexpr std::array<extra_command, 2> commands{{
    {"create-key-pair", "a key pair for participant tokens you sign yourself (no AWS call)",
     &create_key_pair},
    {"mint-token", "a participant token signed locally with your private key (no AWS call)", &mint_token},
}};
}  // namespace

std::span<const extra_command> extra_commands() {
  return commands;
}

}  // namespace ivsrt_cli
