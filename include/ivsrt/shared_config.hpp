// The shared config and credentials files as a client sees them: read once when the client is
// created, with the profile it uses — the profile option, else AWS_PROFILE, else
// AWS_DEFAULT_PROFILE (the AWS CLI v1 name, honoured after AWS_PROFILE), else "default".
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/config_file.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"

namespace ivsrt {

struct shared_config {
  config::file_locations files{};
  config::profile_set data{};
  std::string profile{"default"};
  // Where the profile name came from: "the profile option", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"
  // or "the default".
  std::string profile_source{"the default"};

  [[nodiscard]] const config::section* selected() const { return data.profile(profile); }
  // The value of `key` in the selected profile, or nullptr.
  [[nodiscard]] const std::string* get(std::string_view key) const { return data.value(profile, key); }
  // The value of `key` in profile `name`, or nullptr.
  [[nodiscard]] const std::string* get(std::string_view name, std::string_view key) const {
    return data.value(name, key);
  }
  // "profile 'dev' (from AWS_PROFILE)", or "profile 'default'" when nothing chose it.
  [[nodiscard]] std::string describe_profile() const {
    return "profile '" + profile + "'" +
           (profile_source == "the default" ? std::string() : " (from " + profile_source + ")");
  }
  // "<config path> or <credentials path>", for messages.
  [[nodiscard]] std::string where() const {
    if (files.config.empty() && files.credentials.empty()) {
      return "the shared files (no home directory is set)";
    }
    if (files.credentials.empty()) return files.config;
    if (files.config.empty()) return files.credentials;
    return files.config + " or " + files.credentials;
  }
};

// Loads the files named by the environment and selects the profile. A malformed file, or a
// profile chosen by name (option or environment) that is in neither file, is a configuration
// error.
inline result<shared_config> load_shared_config(
    std::string_view profile_option = {},
    config::file_locations files = config::file_locations::from_environment()) {
  shared_config out;
  out.files = std::move(files);
  auto loaded = config::load(out.files);
  if (!loaded) return loaded.error();
  out.data = std::move(*loaded);
  if (!profile_option.empty()) {
    out.profile = std::string(profile_option);
    out.profile_source = "the profile option";
  } else if (std::string p = env::get("AWS_PROFILE"); !p.empty()) {
    out.profile = std::move(p);
    out.profile_source = "AWS_PROFILE";
  } else if (std::string d = env::get("AWS_DEFAULT_PROFILE"); !d.empty()) {
    out.profile = std::move(d);
    out.profile_source = "AWS_DEFAULT_PROFILE";
  }
  if (out.profile_source != "the default" && out.selected() == nullptr) {
    return make_error(
        error_kind::configuration, "ProfileNotFound",
        "profile '" + out.profile + "' (from " + out.profile_source + ") is not in " + out.where());
  }
  return out;
}

}  // namespace ivsrt
