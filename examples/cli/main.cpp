// ivsrt-cli: `aws ivs-realtime` on the ivsrt library. main splits the command line and hands it
// to the command it names; everything about the model's operations is generic (registry.hpp).
#include <curl/curl.h>

#include <cstdio>
#include <string>
#include <vector>

#include "extra_commands.hpp"
#include "global_options.hpp"
#include "help.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/version.hpp"
#include "registry.hpp"
#include "report.hpp"

namespace {

using namespace ivsrt_cli;

int usage_error(std::string message, std::string_view command = {}) {
  return report(ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine", std::move(message)),
                command, {});
}

const extra_command* find_extra(std::string_view name) {
  for (const extra_command& c : extra_commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

int dispatch(const command_line& line) {
  const command* model = find_model_command(line.command);
  const extra_command* extra = model == nullptr ? find_extra(line.command) : nullptr;
  if (extra != nullptr) {
    // `ivsrt-cli help <extra>` asks the command itself.
    const bool help_only = line.help && line.raw_args.empty();
    return extra->run(help_only ? std::vector<std::string>{"--help"} : line.raw_args);
  }
  if (!line.problem.empty()) return usage_error(line.problem, line.command);
  if (line.version) {
    std::printf("ivsrt-cli/%s ivsrt/%s libcurl/%s\n", ivsrt::version, ivsrt::version,
                curl_version_info(CURLVERSION_NOW)->version);
    return exit_ok;
  }
  if (line.command.empty()) {
    if (line.help) {
      print_tool_help();
      return exit_ok;
    }
    return usage_error("the following arguments are required: command");
  }
  if (model == nullptr) return usage_error("invalid choice: '" + line.command + "'");
  if (line.help) {
    print_command_help(*model);
    return exit_ok;
  }
  return model->run(line.globals, line.args);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int code = dispatch(split_command_line(args));
  if (std::fflush(stdout) != 0) return exit_other;
  return code;
}
