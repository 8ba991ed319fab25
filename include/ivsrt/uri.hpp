// Percent-encoding (RFC 3986), and the http(s) URLs of endpoints and credential sources.
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

// An absolute http or https URL, split into views of the URL it was read from.
struct url_parts {
  bool https = false;
  std::string_view host;   // as written; IPv6 literals keep their brackets
  std::uint16_t port = 0;  // 0 when the URL names none
  std::string_view rest;   // the path, query and fragment: from the first '/', '?' or '#' on
};

// Splits scheme://host[:port]rest. On failure returns nullopt and sets `why` to a phrase that
// follows the URL's name ("must start with ..."): spaces and control characters, schemes other
// than http and https, user info, a missing host and ports outside 1 to 65535 are refused.
inline std::optional<url_parts> split_url(std::string_view url, std::string& why) {
  auto fail = [&why](const char* reason) {
    why = reason;
    return std::optional<url_parts>();
  };
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return fail("contains a space or control character");
  }
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return fail("must start with https:// or http://");
  url_parts parts;
  parts.https = ascii::iequals(url.substr(0, sep), "https");
  if (!parts.https && !ascii::iequals(url.substr(0, sep), "http"))
    return fail("scheme must be https or http");
  const std::string_view after_scheme = url.substr(sep + 3);
  const std::size_t rest_at = after_scheme.find_first_of("/?#");
  const std::string_view authority = after_scheme.substr(0, rest_at);
  if (rest_at != std::string_view::npos) parts.rest = after_scheme.substr(rest_at);
  if (authority.find('@') != std::string_view::npos) return fail("must not contain user info");
  std::string_view port_text = authority;  // what follows the host: "" or ":port"
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("has an unterminated IPv6 address");
    parts.host = authority.substr(0, close + 1);
  } else {
    parts.host = authority.substr(0, authority.find(':'));
  }
  port_text.remove_prefix(parts.host.size());
  if (parts.host.empty() || parts.host == "[]") return fail("has no host");
  if (!port_text.empty()) {
    if (port_text.front() != ':') return fail("has text after the IPv6 address");
    port_text.remove_prefix(1);
    if (port_text.empty() || port_text.size() > 5) return fail("has an invalid port");
    unsigned long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return fail("has an invalid port");
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return fail("port must be between 1 and 65535");
    parts.port = static_cast<std::uint16_t>(port);
  }
  return parts;
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
  const auto parts = split_url(url, why);
  if (!parts) {
    why = "endpoint URL " + why;
    return std::nullopt;
  }
  if (parts->rest.find_first_of("?#") != std::string_view::npos) {
    why = "endpoint URL must not contain a query or a fragment";
    return std::nullopt;
  }
  std::string_view path = parts->rest;
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return endpoint{.scheme = parts->https ? "https" : "http",
                  .host = std::string(parts->host),
                  .port = parts->port,
                  .base_path = std::string(path)};
}

}  // namespace ivsrt::uri
