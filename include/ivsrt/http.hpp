// HTTP request and response as the client builds and reads them, independent of libcurl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/ascii.hpp"

namespace ivsrt::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

using ascii::iequals;

// The first value of header `name` (case-insensitive), or "" when absent.
inline std::string_view find_header(const header_list& headers, std::string_view name) noexcept {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

inline bool has_header(const header_list& headers, std::string_view name) noexcept {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}

namespace detail {

constexpr bool field_bytes_ok(std::string_view s) noexcept {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t') || b == 0x7F) return false;
  }
  return true;
}

}  // namespace detail

// True when s can be a header field value as is: no CR or LF (which would end the field and let
// the rest pose as another header or the body), no NUL, and no other control character but tab.
inline bool field_value_ok(std::string_view s) noexcept {
  // Eight bytes at a time (signed headers run to hundreds of bytes on every call): a word with no
  // byte below 0x20 and none equal to 0x7F is fine; only a word with one (a tab, say) is looked
  // at byte by byte. The tests are exact: x - 0x20 borrows into a byte's top bit only when some
  // byte is below 0x20, and likewise for a zero byte of x ^ 0x7F.
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t tops = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    // One load (compilers do not merge a byte-by-byte assembly); whether some byte is flagged
    // does not depend on the byte order.
    std::uint64_t x = 0;
    std::memcpy(&x, s.data() + i, sizeof x);
    const std::uint64_t del = x ^ (ones * 0x7F);
    const std::uint64_t flagged = ((x - ones * 0x20) & ~x & tops) | ((del - ones) & ~del & tops);
    if (flagged != 0 && !detail::field_bytes_ok(s.substr(i, 8))) return false;
  }
  return detail::field_bytes_ok(s.substr(i));
}

struct request {
  std::string method;
  std::string url;
  header_list headers;
  std::string body;
  bool has_body = false;  // false: no body and no Content-Length (GET/DELETE without payload)
};

struct response {
  long status = 0;
  header_list headers;
  std::string body;  // its capacity leaves room for the JSON parser's padding

  [[nodiscard]] std::string_view header(std::string_view name) const noexcept {
    return find_header(headers, name);
  }
};

}  // namespace ivsrt::http
