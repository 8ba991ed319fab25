// A stand-in for ivsrt-cli that runs only the token commands, so tests can run them as real
// processes before the CLI registers them: token-cli-driver <create-key-pair|mint-token> ARGS...
#include <cstdio>
#include <string>
#include <vector>

#include "token_commands.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: token-cli-driver create-key-pair|mint-token [options]\n", stderr);
    return 252;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "create-key-pair") return run_create_key_pair(args);
  if (command == "mint-token") return run_mint_token(args);
  std::fprintf(stderr, "unknown command: %s\n", command.c_str());
  return 252;
}
