// HTTP request and response as the client builds and reads them, independent of libcurl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
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
  // The HTTP major version of the status line: 2 and 3 end every body explicitly (a stream cut
  // short is a transfer error), 1.1 only when a length or chunking says where.
  int http_major = 1;
  // The header lines as received, each ending in a line feed ("Name: value\r\n"). They are split
  // only when a header is asked for: a call looks at one or two, and a transfer that splits each
  // line into strings as it arrives spends more on that than on everything else it does with them.
  std::string header_text;
  std::string body;  // its capacity leaves room for the JSON parser's padding

  // The first value of header `name` (case-insensitive, blanks around it trimmed), or nullopt
  // when the response has no such header.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept {
    std::string_view rest = header_text;
    while (!rest.empty()) {
      const std::size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
      if (line.size() > name.size() && line[name.size()] == ':' &&
          iequals(line.substr(0, name.size()), name)) {
        std::string_view value = line.substr(name.size() + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) {
          value.remove_suffix(1);
        }
        return value;
      }
    }
    return std::nullopt;
  }

  // find(name), or "" when absent.
  [[nodiscard]] std::string_view header(std::string_view name) const noexcept {
    return find(name).value_or("");
  }

  [[nodiscard]] bool has_header(std::string_view name) const noexcept { return find(name).has_value(); }

  void add_header(std::string_view name, std::string_view value) {
    header_text.append(name).append(": ").append(value).append("\r\n");
  }
};

}  // namespace ivsrt::http
