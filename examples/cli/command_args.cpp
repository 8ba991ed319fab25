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

// Walks the arguments once, flag by flag.
class parser {
 public:
  parser(const std::vector<std::string>& args, const std::vector<member_flag>& flags, bool paginated)
      : args_(args), flags_(flags), paginated_(paginated) {
    in_.given.assign(flags.size(), false);
  }

  ivsrt::result<command_input> run() {
    for (; i_ < args_.size(); ++i_) {
      const std::string& arg = args_[i_];
      if (!is_flag(arg)) {
        unknown_.push_back(arg);
        continue;
      }
      const std::size_t eq = arg.find('=');
      name_ = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      inline_value_.reset();
      if (eq != std::string::npos) inline_value_ = arg.substr(eq + 1);
      auto done = command_option();
      if (!done) return done.error();
      if (*done) continue;
      auto known = member_option();
      if (!known) return known.error();
      if (!*known) unknown_.push_back(arg);
    }
    if (!unknown_.empty()) {
      std::string list;
      for (const auto& u : unknown_) list += (list.empty() ? "" : ", ") + u;
      return usage("Unknown options: " + list);
    }
    in_.flags_json = "{" + body_ + "}";
    return std::move(in_);
  }

 private:
  // The value after the current flag: inline ("--x=v") or the next argument.
  ivsrt::result<std::string> one_value() {
    if (inline_value_) return resolve_value(*inline_value_);
    if (i_ + 1 >= args_.size() || is_flag(args_[i_ + 1])) {
      return usage("argument --" + name_ + ": expected one argument");
    }
    return resolve_value(args_[++i_]);
  }

  // --cli-input-json and the pagination options; false when the flag is none of them.
  ivsrt::result<bool> command_option() {
    const bool paging =
        paginated_ && (name_ == "starting-token" || name_ == "page-size" || name_ == "max-items");
    if (name_ != "cli-input-json" && !paging) return false;
    auto v = one_value();
    if (!v) return v.error();
    if (name_ == "cli-input-json") {
      if (in_.cli_input_json) return usage("argument --cli-input-json: given more than once");
      in_.cli_input_json = std::move(*v);
    } else if (name_ == "starting-token") {
      in_.paging.starting_token = std::move(*v);
    } else {
      auto n = paging_number(name_, *v);
      if (!n) return n.error();
      (name_ == "page-size" ? in_.paging.page_size : in_.paging.max_items) = *n;
    }
    return true;
  }

  // A member's flag (or a boolean's --no- form); false when the flag names no member.
  ivsrt::result<bool> member_option() {
    std::size_t index = flags_.size();
    bool negated = false;
    for (std::size_t k = 0; k < flags_.size(); ++k) {
      const member_flag& f = flags_[k];
      const bool boolean = f.kind == value_kind::boolean && !f.list;
      if (name_ == f.flag || (boolean && !inline_value_ && name_ == "no-" + f.flag)) {
        index = k;
        negated = name_ != f.flag;
        break;
      }
    }
    if (index == flags_.size()) return false;
    const member_flag& f = flags_[index];
    if (in_.given[index]) return usage("argument --" + f.flag + ": given more than once");
    in_.given[index] = true;
    auto values = member_values(f, negated);
    if (!values) return values.error();
    auto json = member_json(f, *values);
    if (!json) return json.error();
    body_ += body_.empty() ? "" : ",";
    body_ += "\"" + std::string(f.wire_name) + "\":" + *json;
    return true;
  }

  ivsrt::result<std::vector<std::string>> member_values(const member_flag& f, bool negated) {
    std::vector<std::string> values;
    if (f.kind == value_kind::boolean && !f.list) {
      // --flag, --no-flag, and also --flag true|false.
      if (inline_value_) {
        values.push_back(*inline_value_);
      } else if (!negated && i_ + 1 < args_.size() && (args_[i_ + 1] == "true" || args_[i_ + 1] == "false")) {
        values.push_back(args_[++i_]);
      } else {
        values.emplace_back(negated ? "false" : "true");
      }
    } else if (f.list && !inline_value_) {
      // --tag-keys a b c: every argument up to the next flag.
      while (i_ + 1 < args_.size() && !is_flag(args_[i_ + 1])) {
        auto v = resolve_value(args_[++i_]);
        if (!v) return v.error();
        values.push_back(std::move(*v));
      }
      if (values.empty()) return usage("argument --" + f.flag + ": expected at least one argument");
    } else {
      auto v = one_value();
      if (!v) return v.error();
      values.push_back(std::move(*v));
    }
    return values;
  }

  const std::vector<std::string>& args_;
  const std::vector<member_flag>& flags_;
  const bool paginated_;
  std::size_t i_ = 0;
  std::string name_;                         // of the current flag, without "--"
  std::optional<std::string> inline_value_;  // of the current flag, after "="
  command_input in_;
  std::string body_;
  std::vector<std::string> unknown_;
};

}  // namespace

ivsrt::result<command_input> parse_command_args(const std::vector<std::string>& args,
                                                const std::vector<member_flag>& flags, bool paginated) {
  return parser(args, flags, paginated).run();
}

}  // namespace ivsrt_cli
