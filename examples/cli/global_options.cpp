#include "global_options.hpp"

#include <charconv>
#include <string_view>

namespace ivsrt_cli {

namespace {

bool parse_seconds(std::string_view text, long& out) {
  long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return false;
  out = v;
  return true;
}

// Applies one global option; false when `name` is not one. `value` is its argument, for the
// options that take one.
bool apply(std::string_view name, const std::string& value, command_line& line) {
  global_options& g = line.globals;
  auto fail = [&](std::string why) {
    if (line.problem.empty()) line.problem = "argument --" + std::string(name) + ": " + std::move(why);
  };
  if (name == "endpoint-url") g.endpoint_url = value;
  else if (name == "region") g.region = value;
  else if (name == "ca-bundle") g.ca_bundle = value;
  else if (name == "output") {
    if (value != "json") fail("invalid choice '" + value + "': ivsrt-cli prints JSON only (--output json)");
  } else if (name == "cli-connect-timeout") {
    if (!parse_seconds(value, g.connect_timeout_seconds)) fail("expected whole seconds, 0 or more");
  } else if (name == "cli-read-timeout") {
    if (!parse_seconds(value, g.read_timeout_seconds)) fail("expected whole seconds, 0 or more");
  } else if (name == "debug") g.debug = true;
  else if (name == "dry-run") g.dry_run = true;
  else if (name == "no-paginate") g.paginate = false;
  else if (name == "no-verify-ssl") g.verify_ssl = false;
  else if (name == "version") line.version = true;
  else if (name == "help") line.help = true;
  else return false;
  return true;
}

bool takes_value(std::string_view name) {
  return name == "endpoint-url" || name == "region" || name == "ca-bundle" || name == "output" ||
         name == "cli-connect-timeout" || name == "cli-read-timeout";
}

}  // namespace

command_line split_command_line(const std::vector<std::string>& argv) {
  command_line line;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if ((arg.size() > 2 && arg.compare(0, 2, "--") == 0) || arg == "-h") {
      line.raw_args.push_back(arg);
      const std::size_t eq = arg.find('=');
      const bool inline_value = eq != std::string::npos;
      const std::string name = arg == "-h" ? "help" : arg.substr(2, inline_value ? eq - 2 : std::string::npos);
      if (takes_value(name)) {
        if (inline_value) {
          apply(name, arg.substr(eq + 1), line);
        } else if (i + 1 < argv.size()) {
          line.raw_args.push_back(argv[++i]);
          apply(name, argv[i], line);
        } else if (line.problem.empty()) {
          line.problem = "argument " + arg + ": expected one argument";
        }
      } else if (inline_value || !apply(name, {}, line)) {
        line.args.push_back(arg);  // the command's own flag
      }
      continue;
    }
    if (line.command.empty()) {
      // `ivsrt-cli help <command>`, and "ivs-realtime" before the command as in `aws ivs-realtime`.
      if (arg == "help" && !line.help) {
        line.help = true;
      } else if (arg != "ivs-realtime") {
        line.command = arg;
      }
      continue;
    }
    line.raw_args.push_back(arg);
    if (arg == "help" && line.args.empty()) {
      line.help = true;  // `ivsrt-cli <command> help`
      continue;
    }
    line.args.push_back(arg);
  }
  return line;
}

const char* const global_options_help =
    "Global options (anywhere on the command line):\n"
    "  --endpoint-url URL          send requests to URL instead of the regional endpoint\n"
    "  --region REGION             the AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION)\n"
    "  --output json               the output format; JSON is the only one\n"
    "  --no-paginate               make one call instead of following every page\n"
    "  --debug                     explain on stderr what was resolved and sent (secrets redacted)\n"
    "  --dry-run                   print the signed request (secrets redacted) and send nothing\n"
    "  --cli-connect-timeout SECS  connection timeout in seconds, 0 for none (default 60)\n"
    "  --cli-read-timeout SECS     longest wait for response data in seconds, 0 for none (default 60)\n"
    "  --ca-bundle FILE            PEM file of trusted CA certificates (default: AWS_CA_BUNDLE, then\n"
    "                              the system store)\n"
    "  --no-verify-ssl             do not verify TLS certificates (unsafe; for local emulators)\n"
    "  --version                   print the version\n"
    "  --help, help                print help; `ivsrt-cli <command> help` for a command\n";

}  // namespace ivsrt_cli
