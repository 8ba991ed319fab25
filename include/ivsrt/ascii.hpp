// ASCII case folding for the protocol's case-insensitive names (header names, setting values,
// URL schemes), the whitespace of header values and one-line files, and the whole numbers of
// settings; locale-independent, unlike <cctype>.
#pragma once

#include <cstddef>
#include <optional>
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

// A setting's whole number from 0 to max: decimal digits, after an optional '+' (which botocore,
// the SDKs for Java, Go and Rust and the AWS CLI all accept); nullopt for anything else.
constexpr std::optional<int> whole_number(std::string_view s, int max) noexcept {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  long long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > max) return std::nullopt;
  }
  return static_cast<int>(n);
}

}  // namespace ivsrt::ascii
