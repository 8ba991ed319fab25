#include "command_args.hpp"

#include <charconv>
#include <string_view>

#include "ivsrt/json_writer.hpp"
#include "json_text.hpp"
#include "param_file.hpp"

namespace ivsrt_cli {

namespace {

ivsrt::error usage(std::string message) {
  return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine", std::move(message));
}

bool is_flag(std::string_view arg) {
  return arg.size() > 2 && arg.substr(0, 2) == "--";
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

ivsrt::result<std::string> json_string(std::string_view text, std::string_view flag) {
  auto r = ivsrt::json::to_json(std::string(text));
  if (!r) return usage("argument --" + std::string(flag) + ": the value is not valid UTF-8");
  return r;
}

ivsrt::result<std::string> checked_json(std::string_view text, const member_flag& f) {
  const std::string problem = json_problem(text);
  if (problem.empty()) return std::string(text);
  return usage("Error parsing parameter '--" + f.flag + "': Invalid JSON: " + problem +
               "\nExpected syntax: " + f.syntax);
}

// One value of flag f as JSON. A number that is not valid JSON is passed on as a string, so that
// the JSON reader reports the member and the type it expected.
ivsrt::result<std::string> scalar_json(const member_flag& f, std::string_view text) {
  switch (f.kind) {
    case value_kind::integer:
    case value_kind::number:
      if (json_number(text)) return std::string(text);
      return json_string(text, f.flag);
    case value_kind::boolean:
      if (text == "true" || text == "false") return std::string(text);
      return usage("argument --" + f.flag + ": expected true or false, not '" + std::string(text) + "'");
    case value_kind::json: return checked_json(text, f);
    default: return json_string(text, f.flag);
  }
}

ivsrt::result<std::string> member_json(const member_flag& f, const std::vector<std::string>& values) {
  if (!f.list) return scalar_json(f, values.front());
  // A list may also be given as one JSON array, as the AWS CLI allows.
  if (values.size() == 1 && !values.front().empty() && values.front().front() == '[') {
    return checked_json(values.front(), f);
  }
  std::string out = "[";
  for (const auto& v : values) {
    auto item = scalar_json(f, v);
    if (!item) return item;
    out += out.size() > 1 ? "," : "";
    out += *item;
  }
  return out + "]";
}

ivsrt::result<std::int64_t> paging_number(std::string_view flag, std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return usage("argument --" + std::string(flag) + ": invalid int value: '" + std::string(text) + "'");
  }
  return v;
}

}  // namespace

ivsrt::result<command_input> parse_command_args(const std::vector<std::string>& args,
                                                const std::vector<member_flag>& flags, bool paginated) {
  command_input in;
  in.given.assign(flags.size(), false);
  std::string body;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!is_flag(arg)) {
      unknown.push_back(arg);
      continue;
    }
    const std::size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::optional<std::string> inline_value;
    if (eq != std::string::npos) inline_value = arg.substr(eq + 1);
    // The value after a flag: inline ("--x=v") or the next argument.
    auto one_value = [&]() -> ivsrt::result<std::string> {
      if (inline_value) return resolve_value(*inline_value);
      if (i + 1 >= args.size() || is_flag(args[i + 1]))
        return usage("argument --" + name + ": expected one argument");
      return resolve_value(args[++i]);
    };

    const bool paging_flag =
        paginated && (name == "starting-token" || name == "page-size" || name == "max-items");
    if (name == "cli-input-json" || paging_flag) {
      auto v = one_value();
      if (!v) return v.error();
      if (name == "cli-input-json") {
        in.cli_input_json = std::move(*v);
      } else if (name == "starting-token") {
        in.paging.starting_token = std::move(*v);
      } else {
        auto n = paging_number(name, *v);
        if (!n) return n.error();
        (name == "page-size" ? in.paging.page_size : in.paging.max_items) = *n;
      }
      continue;
    }

    std::size_t index = flags.size();
    bool negated = false;
    for (std::size_t k = 0; k < flags.size(); ++k) {
      const member_flag& f = flags[k];
      const bool boolean = f.kind == value_kind::boolean && !f.list;
      if (name == f.flag || (boolean && !inline_value && name == "no-" + f.flag)) {
        index = k;
        negated = name != f.flag;
        break;
      }
    }
    if (index == flags.size()) {
      unknown.push_back(arg);
      continue;
    }
    const member_flag& f = flags[index];
    if (in.given[index]) return usage("argument --" + f.flag + ": given more than once");
    in.given[index] = true;

    std::vector<std::string> values;
    if (f.kind == value_kind::boolean && !f.list) {
      // --flag, --no-flag, and also --flag true|false.
      if (inline_value) {
        values.push_back(*inline_value);
      } else if (!negated && i + 1 < args.size() && (args[i + 1] == "true" || args[i + 1] == "false")) {
        values.push_back(args[++i]);
      } else {
        values.emplace_back(negated ? "false" : "true");
      }
    } else if (f.list && !inline_value) {
      while (i + 1 < args.size() && !is_flag(args[i + 1])) {
        auto v = resolve_value(args[++i]);
        if (!v) return v.error();
        values.push_back(std::move(*v));
      }
      if (values.empty()) return usage("argument --" + f.flag + ": expected at least one argument");
    } else {
      auto v = one_value();
      if (!v) return v.error();
      values.push_back(std::move(*v));
    }
    auto json = member_json(f, values);
    if (!json) return json.error();
    body += body.empty() ? "" : ",";
    body += "\"" + std::string(f.wire_name) + "\":" + *json;
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return usage("Unknown options: " + list);
  }
  in.flags_json = "{" + body + "}";
  return in;
}

}  // namespace ivsrt_cli
