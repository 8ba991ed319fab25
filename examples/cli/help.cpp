#include "help.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "extra_commands.hpp"
#include "registry.hpp"

namespace ivsrt_cli {

namespace {

void print_list_entry(std::string_view name, const std::string& what) {
  std::printf("  %-40.*s %s\n", static_cast<int>(name.size()), name.data(), what.c_str());
}

// The value part of a flag in help: "<string>", "<A|B> [...]", "<JSON>".
std::string flag_value(const member_flag& f) {
  if (f.kind == value_kind::boolean && !f.list) return {};
  const std::string one = "<" + (f.kind == value_kind::json ? std::string("JSON") : f.syntax) + ">";
  return f.list ? one + " [" + one + " ...]" : one;
}

void print_indented(const std::string& text, int indent) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::printf("%*s%s\n", indent, "", line.c_str());
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

void print_usage(const command& c, const std::vector<member_flag>& flags) {
  std::printf("Usage:\n");
  std::string line = "  ivsrt-cli " + c.name;
  for (const member_flag& f : flags) {
    const std::string value = flag_value(f);
    const std::string usage = "--" + f.flag + (value.empty() ? "" : " " + value);
    const std::string part = f.required ? usage : "[" + usage + "]";
    if (line.size() + 1 + part.size() > 100) {
      std::printf("%s\n", line.c_str());
      line = "      ";
    } else {
      line += ' ';
    }
    line += part;
  }
  std::printf("%s\n", line.c_str());
}

void print_parameters(const std::vector<member_flag>& flags) {
  std::printf("Parameters:\n");
  for (const member_flag& f : flags) {
    const bool boolean = f.kind == value_kind::boolean && !f.list;
    std::string entry = "--" + f.flag + (boolean ? " | --no-" + f.flag : " " + flag_value(f));
    if (f.required) entry += "  (required)";
    std::printf("  %s\n", entry.c_str());
    if (f.kind == value_kind::json) print_indented(f.syntax, 6);
  }
  std::printf(
      "  --cli-input-json <JSON>\n"
      "      the whole request as one JSON object, members named as in the service's API\n"
      "      (e.g. \"maxResults\"), inline or file://PATH; flags override its members\n");
}

}  // namespace

void print_tool_help() {
  std::printf(
      "ivsrt-cli: the Amazon IVS real-time API (ivs-realtime) from the command line, built on ivsrt.\n"
      "Commands and parameters are named as in `aws ivs-realtime`.\n\n"
      "Usage:\n"
      "  ivsrt-cli [global options] <command> [parameters]\n"
      "  ivsrt-cli <command> help\n\n"
      "Commands:\n");
  for (const command& c : model_commands()) {
    print_list_entry(c.name, std::string(c.operation) + (c.paginated ? " (paginated)" : ""));
  }
  if (!extra_commands().empty()) {
    std::printf("\nOther commands:\n");
    for (const extra_command& c : extra_commands()) print_list_entry(c.name, std::string(c.summary));
  }
  std::printf("\n");
  print_global_options_help();
  std::printf(
      "\n"
      "Credentials come from the AWS default chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and\n"
      "AWS_SESSION_TOKEN; the profile's keys, role, SSO, login or credential_process settings in\n"
      "~/.aws/config and ~/.aws/credentials; web identity; then container or instance metadata.\n"
      "Exit codes: 0 success, 252 bad command line or invalid input, 253 configuration or\n"
      "credentials, 254 error returned by the service, 255 anything else.\n");
}

void print_command_help(const command& c) {
  const auto flags = c.flags();
  std::printf("%s\n\n  Calls the %.*s operation (%.*s %.*s).\n\n", c.name.c_str(),
              static_cast<int>(c.operation.size()), c.operation.data(), static_cast<int>(c.method.size()),
              c.method.data(), static_cast<int>(c.uri.size()), c.uri.data());
  print_usage(c, flags);
  std::printf("\n");
  print_parameters(flags);
  if (c.paginated) {
    std::printf(
        "\nPagination: the command follows every page and prints all items as one list.\n"
        "  --starting-token <string>  resume from the NextToken a --max-items call printed\n"
        "  --page-size <integer>      items per call to the service\n"
        "  --max-items <integer>      print at most this many items, then a NextToken\n"
        "  --no-paginate              make one call (so do --next-token and --max-results)\n");
  }
  std::printf(
      "\nValues may be given as file://PATH to read them from a file. For global options, see\n"
      "`ivsrt-cli help`.\n");
}

}  // namespace ivsrt_cli
