// ASCII case folding for the protocol's case-insensitive names (header names, setting values,
// URL schemes), and the whitespace of header values and one-line files; locale-independent, unlike
// <cctype>.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ivsrt::ascii {

constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

// Space, tab, CR and LF: the whitespace trimmed from header values and from files that hold one
// value (token files usually end with a newline).
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

}  // namespace ivsrt::ascii
