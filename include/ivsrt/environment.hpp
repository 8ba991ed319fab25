// Reading the AWS_* environment variables. An empty variable counts as unset, as in the AWS SDKs.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

namespace ivsrt::env {

// The value of `name`, or "" when it is unset or empty.
inline std::string get(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  return v != nullptr ? std::string(v) : std::string();
}

inline bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// True when `name` is set to "true" in any letter case (the SDKs' boolean settings).
inline bool is_true(const char* name) {
  return equals_ignoring_case(get(name), "true");
}

// The home directory: HOME, else USERPROFILE.
inline std::string home() {
  std::string h = get("HOME");
  return h.empty() ? get("USERPROFILE") : h;
}

}  // namespace ivsrt::env
