// HTTP request and response as the client builds and reads them, independent of libcurl.
#pragma once

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

// True when s can be a header field value as is: no CR or LF (which would end the field and let
// the rest pose as another header or the body), no NUL, and no other control character but tab.
constexpr bool field_value_ok(std::string_view s) noexcept {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t') || b == 0x7F) return false;
  }
  return true;
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
