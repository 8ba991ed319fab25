// Reading the AWS_* environment variables. An empty variable counts as unset, as in the AWS SDKs.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include "ivsrt/ascii.hpp"

namespace ivsrt::env {

// The value of `name`, or "" when it is unset or empty.
inline std::string get(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  return v != nullptr ? std::string(v) : std::string();
}

// Whether `name` is set and not empty, without copying its value (which may be a secret).
inline bool has(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  return v != nullptr && *v != '\0';
}

// True when `name` is set to "true" in any letter case (the SDKs' boolean settings).
inline bool is_true(const char* name) {
  return ascii::iequals(get(name), "true");
}

// The home directory: HOME, else USERPROFILE.
inline std::string home() {
  std::string h = get("HOME");
  return h.empty() ? get("USERPROFILE") : h;
}

// path with a leading "~" or "~/" replaced by the home directory, as the SDKs expand the paths
// they read from the environment ("~user" is left alone).
inline std::string expand_home(std::string path) {
  if (!path.empty() && path[0] == '~' && (path.size() == 1 || path[1] == '/')) path = home() + path.substr(1);
  return path;
}

}  // namespace ivsrt::env
