// UTF-8 validation and code-point counting (the model's string lengths count code points).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ivsrt::utf8 {

// Length in bytes of the valid sequence starting at s[i], or 0 when it is not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF are invalid).
constexpr std::size_t sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  if (b0 < 0x80) {
    return 1;
  }
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<std::uint8_t>(s[i + k]) & 0xC0) == 0x80;
  };
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
    if (b0 == 0xED && byte(1) > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// True when every byte is below 0x80; a loop without branches, so it is vectorised.
constexpr bool ascii(std::string_view s) noexcept {
  unsigned bits = 0;
  for (char c : s) bits |= static_cast<std::uint8_t>(c);
  return bits < 0x80;
}

constexpr bool valid(std::string_view s) noexcept {
  if (ascii(s)) return true;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Number of code points; counts each invalid byte as one.
constexpr std::size_t code_points(std::string_view s) noexcept {
  if (ascii(s)) return s.size();
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const std::size_t n = sequence_length(s, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

// Appends s as an error message quotes a caller's text: valid UTF-8 as it is, `"` and `\` escaped,
// and control characters (C0, DEL and C1, whose bytes a terminal may act on) and bytes that are
// not UTF-8 as \xNN, so that the message stays one readable line of valid UTF-8. Characters
// beyond the first max_chars are left out and marked "...".
inline void append_escaped(std::string& out, std::string_view s, std::size_t max_chars = 256) {
  constexpr char hex[] = "0123456789ABCDEF";
  std::size_t i = 0;
  for (std::size_t chars = 0; i < s.size() && chars < max_chars; ++chars) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    std::size_t n = sequence_length(s, i);
    if (n == 2 && b == 0xC2 && static_cast<std::uint8_t>(s[i + 1]) < 0xA0) n = 0;  // U+0080..U+009F
    if (b == '"' || b == '\\') {
      out += '\\';
      out += static_cast<char>(b);
    } else if (n == 0 || b < 0x20 || b == 0x7F) {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 0xF];
    } else {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  if (i < s.size()) out += "...";
}

}  // namespace ivsrt::utf8
