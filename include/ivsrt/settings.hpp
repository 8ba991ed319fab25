// Reading one client setting from the environment or the selected profile of the shared config
// files, remembering where it came from; strict parsing of booleans and attempt counts with
// errors that name the source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/config_file.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/shared_config.hpp"

namespace ivsrt::settings {

// A setting's text and where it was found ("AWS_MAX_ATTEMPTS", "max_attempts in profile dev").
struct found {
  std::string value{};
  std::string source{};
};

// The environment and one profile of the shared config files.
class lookup {
 public:
  lookup(config::profile_set files, std::string profile)
      : files_(std::move(files)), profile_(std::move(profile)) {}

  // Loads the shared files and selects the profile as the client does (see load_shared_config).
  static result<lookup> from_environment(std::string_view profile) {
    auto files = load_shared_config(profile);
    if (!files) return files.error();
    return lookup(std::move(files->data), std::move(files->profile));
  }

  // An environment variable that is set and not blank.
  [[nodiscard]] static std::optional<found> env(const char* name) {
    std::string v = ivsrt::env::get(name);
    if (v.empty()) return std::nullopt;
    return found{std::move(v), name};
  }

  // A key of the selected profile.
  [[nodiscard]] std::optional<found> profile(std::string_view key) const {
    const std::string* v = files_.value(profile_, key);
    if (v == nullptr || v->empty()) return std::nullopt;
    return found{*v, std::string(key) + " in profile " + profile_};
  }

  [[nodiscard]] std::optional<found> env_or_profile(const char* env_name, std::string_view key) const {
    if (auto e = env(env_name)) return e;
    return profile(key);
  }

  // `key` of service `service_key` in the [services NAME] section the profile names with
  // `services = NAME`; an error when that section does not exist.
  [[nodiscard]] result<std::optional<found>> service(std::string_view service_key,
                                                     std::string_view key) const {
    std::string section;
    auto v = files_.service_value(profile_, service_key, key, section);
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<found>();
    return std::optional<found>(
        found{**v, std::string(service_key) + "." + std::string(key) + " in [services " + section + "]"});
  }

 private:
  config::profile_set files_;
  std::string profile_;
};

inline error invalid(const found& f, std::string_view expected) {
  return make_error(error_kind::configuration, "InvalidConfiguration",
                    f.source + " must be " + std::string(expected) + ", not '" + f.value + "'");
}

// "true" or "false" in any case; anything else is an error.
inline result<std::optional<bool>> parse_bool(const std::optional<found>& f) {
  if (!f) return std::optional<bool>();
  if (ascii::iequals(f->value, "true")) return std::optional<bool>(true);
  if (ascii::iequals(f->value, "false")) return std::optional<bool>(false);
  return invalid(*f, "true or false");
}

// A flag from code, else the environment variable, else the profile key; the source is named.
inline result<std::pair<bool, std::string>> flag(const std::optional<bool>& code, const char* code_name,
                                                 const lookup& cfg, const char* env_name, const char* key) {
  if (code) return std::pair<bool, std::string>(*code, code_name);
  auto found = cfg.env_or_profile(env_name, key);
  auto value = parse_bool(found);
  if (!value) return value.error();
  if (!*value) return std::pair<bool, std::string>(false, "default");
  return std::pair<bool, std::string>(**value, found->source);
}

// A whole number from 1 to 10000.
inline result<std::optional<int>> parse_attempts(const std::optional<found>& f) {
  if (!f) return std::optional<int>();
  const auto n = ascii::whole_number(f->value, 10000);
  if (!n || *n < 1) return invalid(*f, "a whole number of attempts from 1 to 10000");
  return std::optional<int>(*n);
}

}  // namespace ivsrt::settings
