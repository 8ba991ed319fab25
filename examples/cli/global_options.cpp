#include "global_options.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace ivsrt_cli {

namespace {

// What is wrong with a value, "" when nothing.
using problem = std::string;

problem seconds(const std::string& text, long& out) {
  long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0)
    return "expected whole seconds, 0 or more";
  out = v;
  return {};
}

struct option {
  std::string_view name;
  std::string_view value;  // the value's name in help; empty for options without a value
  std::string_view help;
  problem (*apply)(command_line& line, const std::string& value);
};

constexpr option options[] = {
    {"endpoint-url", "URL", "send requests to URL instead of the regional endpoint",
     [](command_line& l, const std::string& v) {
       l.globals.endpoint_url = v;
       return problem();
     }},
    {"region", "REGION", "the AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's)",
     [](command_line& l, const std::string& v) {
       l.globals.region = v;
       return problem();
     }},
    {"profile", "NAME",
     "the shared config/credentials profile (default: AWS_PROFILE, AWS_DEFAULT_PROFILE, then 'default')",
     [](command_line& l, const std::string& v) {
       l.globals.profile = v;
       return problem();
     }},
    {"output", "json", "the output format; JSON is the only one",
     [](command_line& /*l*/, const std::string& v) {
       return v == "json" ? problem() : "invalid choice '" + v + "': ivsrt-cli prints JSON only";
     }},
    {"no-paginate", "", "make one call instead of following every page",
     [](command_line& l, const std::string& /*v*/) {
       l.globals.paginate = false;
       return problem();
     }},
    {"debug", "", "explain on stderr what was resolved and sent (secrets redacted)",
     [](command_line& l, const std::string& /*v*/) {
       l.globals.debug = true;
       return problem();
     }},
    {"dry-run", "", "print the signed request (secrets redacted) and send nothing",
     [](command_line& l, const std::string& /*v*/) {
       l.globals.dry_run = true;
       return problem();
     }},
    {"cli-connect-timeout", "SECS",
     "connection timeout in seconds, 0 for none (default 60, or the defaults mode's)",
     [](command_line& l, const std::string& v) {
       long s = 0;
       problem p = seconds(v, s);
       l.globals.connect_timeout_seconds = s;
       return p;
     }},
    {"cli-read-timeout", "SECS", "longest wait for response data in seconds, 0 for none (default 60)",
     [](command_line& l, const std::string& v) { return seconds(v, l.globals.read_timeout_seconds); }},
    {"ca-bundle", "FILE",
     "PEM file of trusted CAs (default: AWS_CA_BUNDLE, the profile's ca_bundle, the system's)",
     [](command_line& l, const std::string& v) {
       l.globals.ca_bundle = v;
       return problem();
     }},
    {"no-verify-ssl", "", "do not verify TLS certificates (unsafe; for local emulators only)",
     [](command_line& l, const std::string& /*v*/) {
       l.globals.verify_ssl = false;
       return problem();
     }},
    {"version", "", "print the version",
     [](command_line& l, const std::string& /*v*/) {
       l.version = true;
       return problem();
     }},
    {"help", "", "print help; `ivsrt-cli <command> help` for a command's parameters",
     [](command_line& l, const std::string& /*v*/) {
       l.help = true;
       return problem();
     }},
};

const option* find_option(std::string_view name) {
  for (const option& o : options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

void note(command_line& line, std::string_view option, const problem& p) {
  if (!p.empty() && line.problem.empty()) line.problem = "argument --" + std::string(option) + ": " + p;
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
      const std::string name =
          arg == "-h" ? "help" : arg.substr(2, inline_value ? eq - 2 : std::string::npos);
      const option* o = find_option(name);
      if (o == nullptr || (o->value.empty() && inline_value)) {
        line.args.push_back(arg);  // the command's own flag
      } else if (o->value.empty()) {
        note(line, name, o->apply(line, {}));
      } else if (inline_value) {
        note(line, name, o->apply(line, arg.substr(eq + 1)));
      } else if (i + 1 < argv.size()) {
        line.raw_args.push_back(argv[++i]);
        note(line, name, o->apply(line, argv[i]));
      } else {
        note(line, name, "expected one argument");
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

void print_global_options_help() {
  std::printf("Global options (anywhere on the command line):\n");
  for (const option& o : options) {
    const std::string usage =
        "--" + std::string(o.name) + (o.value.empty() ? "" : " " + std::string(o.value));
    std::printf("  %-27s %.*s\n", usage.c_str(), static_cast<int>(o.help.size()), o.help.data());
  }
}

}  // namespace ivsrt_cli
