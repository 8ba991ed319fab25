// Reading the AWS_* environment variables. An empty variable, or one of only blanks (spaces, tabs,
// line ends), counts as unset, as in the SDK for Rust.
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ivsrt/ascii.hpp"

namespace ivsrt::env {

// Whether `name` is set to something other than blanks, without copying its value (which may be
// a secret).
inline bool has(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  return v != nullptr && !ascii::trim(v).empty();
}

// The value of `name`, or "" when it is unset or blank.
inline std::string get(const char* name) {
  return has(name) ? std::string(std::getenv(name)) : std::string();  // NOLINT(concurrency-mt-unsafe)
}

// True when `name` is set to "true" in any letter case (the SDKs' boolean settings).
inline bool is_true(const char* name) {
  return ascii::iequals(get(name), "true");
}

// The home directory: HOME, else the user's entry in the password database, as the SDKs find
// it on POSIX systems (USERPROFILE is Windows' variable and is not read).
inline std::string home() {
  std::string h = get("HOME");
  if (!h.empty()) return h;
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::string buffer(4096, '\0');
  while (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == ERANGE &&
         buffer.size() < (1U << 20U)) {
    buffer.resize(buffer.size() * 2);
  }
  return found != nullptr && found->pw_dir != nullptr ? std::string(found->pw_dir) : std::string();
}

// path with a leading "~" or "~/" replaced by the home directory, as the SDKs expand the paths
// they read from the environment ("~user" is left alone).
inline std::string expand_home(std::string path) {
  if (!path.empty() && path[0] == '~' && (path.size() == 1 || path[1] == '/')) path = home() + path.substr(1);
  return path;
}

}  // namespace ivsrt::env
