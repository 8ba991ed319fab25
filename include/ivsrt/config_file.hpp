// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials), parsed by the
// rules the AWS SDKs share (their common profile-parser test suite): [default], [profile name]
// (config) or [name] (credentials), [sso-session name] and [services name] sections; '#' and ';'
// comments; indented sub-properties and continuation lines; values that contain '='; property
// names compared without case; [profile default] taking precedence over [default]; sections and
// properties with invalid names ignored.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/ascii.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"

namespace ivsrt::config {

struct property {
  std::string value{};
  // Indented "key = value" lines under a property with an empty value, e.g. the
  // "ivs_realtime =" block of a [services] section.
  std::map<std::string, std::string> sub{};
};

using section = std::map<std::string, property>;

struct profile_set {
  std::map<std::string, section> profiles{};
  std::map<std::string, section> sso_sessions{};
  std::map<std::string, section> services{};
  std::vector<std::string> warnings{};  // sections that were ignored, and why

  [[nodiscard]] const section* profile(std::string_view name) const {
    auto it = profiles.find(std::string(name));
    return it == profiles.end() ? nullptr : &it->second;
  }
  // The value of `key` in profile `name`, or nullptr.
  [[nodiscard]] const std::string* value(std::string_view name, std::string_view key) const {
    const section* s = profile(name);
    if (s == nullptr) return nullptr;
    auto it = s->find(std::string(key));
    return it == s->end() ? nullptr : &it->second.value;
  }
  // `key` of the `service_key` entry of the [services NAME] section that profile `name` names
  // with `services = NAME` ("ivs_realtime =" / "  endpoint_url = ..."): nullptr when the profile
  // names no section or the section has no such entry; an error, as in botocore, when the named
  // section does not exist. `section_name` receives NAME.
  [[nodiscard]] result<const std::string*> service_value(std::string_view name, std::string_view service_key,
                                                         std::string_view key,
                                                         std::string& section_name) const {
    const std::string* services_name = value(name, "services");
    if (services_name == nullptr) return static_cast<const std::string*>(nullptr);
    section_name = *services_name;
    auto found = services.find(*services_name);
    if (found == services.end()) {
      return make_error(error_kind::configuration, "InvalidConfiguration",
                        "profile '" + std::string(name) + "' names services = " + *services_name +
                            ", but there is no [services " + *services_name + "] section");
    }
    auto entry = found->second.find(std::string(service_key));
    if (entry == found->second.end()) return static_cast<const std::string*>(nullptr);
    auto v = entry->second.sub.find(std::string(key));
    if (v == entry->second.sub.end() || v->second.empty()) return static_cast<const std::string*>(nullptr);
    return &v->second;
  }
};

enum class file_kind { config, credentials };

namespace detail {

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Removes a comment that starts with '#' or ';' preceded by whitespace.
inline std::string_view strip_inline_comment(std::string_view s) noexcept {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if ((s[i] == '#' || s[i] == ';') && (s[i - 1] == ' ' || s[i - 1] == '\t')) return trim(s.substr(0, i));
  }
  return s;
}

// Profile, section and property names the SDKs accept: letters, digits and - / . % @ _ : +.
constexpr bool valid_name(std::string_view s) noexcept {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '/' || c == '.' || c == '%' || c == '@' || c == '_' || c == ':' || c == '+';
    if (!ok) return false;
  }
  return !s.empty();
}

inline error parse_error(std::string_view file, std::size_t line, const std::string& what) {
  return make_error(error_kind::configuration, "InvalidConfigFile",
                    std::string(file) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace detail

// Parses one file's text into `into`, merging with what is already there (later values win).
// Errors name the file, the line and the problem; values never appear in them.
inline result<void> parse(std::string_view text, std::string_view file_name, file_kind kind,
                          profile_set& into) {
  constexpr const char* invalid_name = "names may hold only letters, digits and - / . % @ _ : +";
  section* current = nullptr;
  section ignored;            // sink for properties of sections that are not used
  property ignored_property;  // marks a property with an invalid name: its lines are skipped
  property* last = nullptr;   // the property continuation and sub-property lines belong to
  // A config file's [default] counts only when it has no [profile default].
  section bare_default;
  bool bare_default_seen = false;
  bool prefixed_default_seen = false;
  auto warn = [&](std::size_t line, const std::string& what) {
    into.warnings.push_back(std::string(file_name) + ":" + std::to_string(line) + ": " + what);
  };
  std::string last_key;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string_view line = detail::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      if (end == text.size()) break;
      continue;
    }
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    // An indented line under a property continues it even when it looks like a section header,
    // as botocore and the SDKs for Java and Rust read it.
    if (line.front() == '[' && (!indented || last == nullptr)) {
      const std::size_t close = line.find(']');
      if (close == std::string_view::npos) {
        return detail::parse_error(file_name, line_no, "section header is missing its closing ']'");
      }
      const std::string_view after = detail::trim(line.substr(close + 1));
      if (!after.empty() && after.front() != '#' && after.front() != ';') {
        return detail::parse_error(file_name, line_no, "unexpected text after the section header");
      }
      const std::string_view header = detail::trim(line.substr(1, close - 1));
      if (header.empty()) return detail::parse_error(file_name, line_no, "empty section name");
      last = nullptr;
      current = &ignored;
      ignored.clear();
      auto named = [&](std::string_view prefix, std::map<std::string, section>& target) -> bool {
        if (header.substr(0, prefix.size()) != prefix ||
            (header.size() > prefix.size() && header[prefix.size()] != ' ' &&
             header[prefix.size()] != '\t')) {
          return false;
        }
        const std::string_view name = detail::trim(header.substr(prefix.size()));
        if (name.empty()) {
          warn(line_no, "[" + std::string(prefix) + "] without a name ignored");
        } else if (!detail::valid_name(name)) {
          warn(line_no, "[" + std::string(header) + "] ignored: " + invalid_name);
        } else {
          current = &target[std::string(name)];
          if (prefix == "profile" && name == "default") prefixed_default_seen = true;
        }
        return true;
      };
      if (kind == file_kind::credentials) {
        if (detail::valid_name(header))
          current = &into.profiles[std::string(header)];
        else
          warn(line_no, "[" + std::string(header) + "] ignored: " + invalid_name);
      } else if (header == "default") {
        current = &bare_default;
        bare_default_seen = true;
      } else if (named("profile", into.profiles) || named("sso-session", into.sso_sessions) ||
                 named("services", into.services)) {
      } else {
        warn(line_no,
             "section [" + std::string(header) + "] ignored (config file profiles are [profile NAME])");
      }
      if (end == text.size()) break;
      continue;
    }
    if (current == nullptr) {
      return detail::parse_error(file_name, line_no, "property outside of any section");
    }
    if (indented && last == &ignored_property) {
      if (end == text.size()) break;
      continue;
    }
    // An indented line continues the property above it; with none above in this section it is
    // an error, as in the SDKs for Rust and Java (botocore reads it as a property).
    if (indented && last == nullptr) {
      return detail::parse_error(file_name, line_no,
                                 "indented line with no property above it to continue (properties start "
                                 "at the beginning of a line)");
    }
    if (indented) {
      const std::size_t eq = line.find('=');
      if (last->value.empty() && eq != std::string_view::npos) {
        const std::string_view key = detail::trim(line.substr(0, eq));
        if (key.empty()) return detail::parse_error(file_name, line_no, "sub-property without a name");
        last->sub[std::string(key)] = std::string(detail::trim(line.substr(eq + 1)));
      } else if (!last->value.empty()) {
        last->value += "\n";
        last->value += line;
      } else {
        return detail::parse_error(file_name, line_no,
                                   "sub-property of '" + last_key + "' must have the form key = value");
      }
      if (end == text.size()) break;
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return detail::parse_error(file_name, line_no, "expected 'key = value'");
    }
    const std::string_view key = detail::trim(line.substr(0, eq));
    if (key.empty()) return detail::parse_error(file_name, line_no, "property without a name");
    if (!detail::valid_name(key)) {
      // The name is not shown: a secret pasted in the wrong place must not reach the log.
      warn(line_no, "property ignored: " + std::string(invalid_name));
      last = &ignored_property;
      if (end == text.size()) break;
      continue;
    }
    last_key = ascii::lowercase(key);
    property& p = (*current)[last_key];
    p.value = std::string(detail::strip_inline_comment(detail::trim(line.substr(eq + 1))));
    p.sub.clear();
    last = &p;
    if (end == text.size()) break;
  }
  if (bare_default_seen && prefixed_default_seen) {
    into.warnings.push_back(std::string(file_name) +
                            ": [default] ignored: [profile default] takes precedence");
  } else if (bare_default_seen) {
    section& target = into.profiles["default"];
    for (auto& [k, v] : bare_default) target[k] = std::move(v);
  }
  return {};
}

// Where the shared files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/.
struct file_locations {
  std::string config{};
  std::string credentials{};

  static file_locations from_environment() {
    const std::string home = env::home();
    file_locations out;
    out.config = env::expand_home(env::get("AWS_CONFIG_FILE"));
    out.credentials = env::expand_home(env::get("AWS_SHARED_CREDENTIALS_FILE"));
    if (out.config.empty() && !home.empty()) out.config = home + "/.aws/config";
    if (out.credentials.empty() && !home.empty()) out.credentials = home + "/.aws/credentials";
    return out;
  }
};

// Loads both files (a missing file is not an error, an unreadable one is); credentials-file values
// override config-file values of the same profile.
inline result<profile_set> load(const file_locations& where) {
  profile_set out;
  auto read = [&](const std::string& path, file_kind kind) -> result<void> {
    if (path.empty()) return {};
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) return {};
    if (ec || status.type() == std::filesystem::file_type::directory) {
      return make_error(error_kind::configuration, "InvalidConfigFile",
                        path + ": " + (ec ? ec.message() : std::string("is a directory, not a file")));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return make_error(error_kind::configuration, "InvalidConfigFile",
                        path + ": cannot be opened for reading");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path, kind, out);
  };
  if (auto r = read(where.config, file_kind::config); !r) return r.error();
  if (auto r = read(where.credentials, file_kind::credentials); !r) return r.error();
  return out;
}

}  // namespace ivsrt::config
