// The options every command accepts, named as in the AWS CLI, and the split of a command line
// into global options, the command name and the command's own arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ivsrt_cli {

struct global_options {
  std::string endpoint_url;
  std::string region;
  std::string profile;
  std::string ca_bundle;
  bool debug = false;
  bool dry_run = false;
  bool paginate = true;
  bool verify_ssl = true;
  // Unset: the defaults mode's when one is configured, else 60 s, as the AWS CLI has them.
  std::optional<long> connect_timeout_seconds;  // 0 means no limit
  long read_timeout_seconds = 60;               // the AWS CLI's default; 0 means no limit
};

struct command_line {
  global_options globals;
  bool help = false;
  bool version = false;
  std::string command;                // empty when none was given
  std::vector<std::string> args;      // after the command name, without the global options
  std::vector<std::string> raw_args;  // every argument except the command name, as given
  std::string problem;                // the first malformed global option, if any
};

command_line split_command_line(const std::vector<std::string>& argv);

// The global options section of the help text, on stdout.
void print_global_options_help();

}  // namespace ivsrt_cli
