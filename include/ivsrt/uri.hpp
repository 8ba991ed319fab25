// Percent-encoding (RFC 3986) and endpoint URLs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/ascii.hpp"

namespace ivsrt::uri {

constexpr bool is_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Appends s with every byte outside the unreserved set written as %XX (upper-case hex); '/' is
// kept when keep_slash is set.
inline void append_encoded(std::string& out, std::string_view s, bool keep_slash = false) {
  constexpr char hex[] = "0123456789ABCDEF";
  for (char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 0xF];
    }
  }
}

inline std::string encode(std::string_view s, bool keep_slash = false) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  append_encoded(out, s, keep_slash);
  return out;
}

constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes ('+' stays '+'); nullopt when an escape is malformed.
inline std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// An endpoint: scheme://host[:port][/base-path]. Query strings, fragments and user info are not
// allowed in an endpoint.
struct endpoint {
  std::string scheme;      // "https" or "http"
  std::string host;        // as written, IPv6 literals keep their brackets
  std::uint16_t port = 0;  // 0 when the URL names none
  std::string base_path;   // "" or "/prefix" without a trailing slash

  // host[:port] as it goes into the Host header: the port only when it is not the scheme's default.
  [[nodiscard]] std::string authority() const {
    const bool default_port =
        port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
    return default_port ? host : host + ":" + std::to_string(port);
  }
  [[nodiscard]] std::string origin() const {
    return scheme + "://" + host + (port != 0 ? ":" + std::to_string(port) : std::string());
  }
};

// Parses an endpoint URL; on failure returns nullopt and sets `why`.
inline std::optional<endpoint> parse_endpoint(std::string_view url, std::string& why) {
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) {
      why = "endpoint URL contains a space or control character";
      return std::nullopt;
    }
  }
  endpoint e;
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    why = "endpoint URL must start with https:// or http://";
    return std::nullopt;
  }
  const std::string scheme = ascii::lowercase(url.substr(0, sep));
  if (scheme != "https" && scheme != "http") {
    why = "endpoint URL scheme must be https or http";
    return std::nullopt;
  }
  e.scheme = scheme;
  std::string_view rest = url.substr(sep + 3);
  const std::size_t path_at = rest.find('/');
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos ? std::string_view{} : rest.substr(path_at);
  if (authority.find('@') != std::string_view::npos || rest.find_first_of("?#") != std::string_view::npos) {
    why = "endpoint URL must not contain user info, a query or a fragment";
    return std::nullopt;
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      why = "endpoint URL has an unterminated IPv6 address";
      return std::nullopt;
    }
    e.host = std::string(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        why = "endpoint URL has text after the IPv6 address";
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    e.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (e.host.empty() || e.host == "[]") {
    why = "endpoint URL has no host";
    return std::nullopt;
  }
  if (port_text.data() != nullptr && (!port_text.empty() || authority.back() == ':')) {
    unsigned long port = 0;
    if (port_text.empty() || port_text.size() > 5) {
      why = "endpoint URL has an invalid port";
      return std::nullopt;
    }
    for (char c : port_text) {
      if (c < '0' || c > '9') {
        why = "endpoint URL has an invalid port";
        return std::nullopt;
      }
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) {
      why = "endpoint URL port must be between 1 and 65535";
      return std::nullopt;
    }
    e.port = static_cast<std::uint16_t>(port);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  e.base_path = std::string(path);
  return e;
}

}  // namespace ivsrt::uri
