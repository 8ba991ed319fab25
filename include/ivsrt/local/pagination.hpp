// Pages of list results with opaque nextTokens. A token names the list it belongs to and the sort
// key of the last item returned, so pages stay consistent while items are added or removed between
// calls, and a token from one list is refused by another.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/local/errors.hpp"
#include "ivsrt/optional.hpp"

namespace ivsrt::local {

namespace detail {

inline constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

inline std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += base64_alphabet[(n >> 6) & 63];
    out += base64_alphabet[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += base64_alphabet[(n >> 18) & 63];
    out += base64_alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? base64_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

inline std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '=') {
      if (i + 2 < in.size()) return std::nullopt;
      ++padding;
      continue;
    }
    if (padding != 0) return std::nullopt;
    const std::size_t v = base64_alphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace detail

// Zero-padded, so that string order is numeric order.
inline std::string sort_key(std::int64_t n) {
  std::string digits = std::to_string(n);
  return std::string(digits.size() < 19 ? 19 - digits.size() : 0, '0') + digits;
}

// A key that sorts the newest (highest sequence number) first.
inline std::string newest_first_key(std::int64_t n) { return sort_key(INT64_MAX - n); }

// One page of `keyed`, in key order: the items after the token's key, at most
// max_results (default_max when absent); sets next_token when more remain.
template <class Item>
result<std::vector<Item>> take_page(std::vector<std::pair<std::string, Item>> keyed,
                                    const optional<std::string>& token,
                                    const optional<std::int32_t>& max_results, std::int32_t default_max,
                                    std::string_view list, optional<std::string>& next_token) {
  std::string after;
  if (token.has_value() && !token->empty()) {
    auto decoded = detail::base64_decode(*token);
    const std::string prefix = "v1|" + std::string(list) + "|";
    if (!decoded || decoded->compare(0, prefix.size(), prefix) != 0) {
      return validation_error("nextToken: the pagination token is not valid for " + std::string(list));
    }
    after = decoded->substr(prefix.size());
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto limit = static_cast<std::size_t>(max_results.value_or(default_max));
  std::vector<Item> page;
  next_token.reset();
  for (auto& [key, item] : keyed) {
    if (!after.empty() && key <= after) continue;
    if (page.size() == limit) {
      next_token = detail::base64_encode("v1|" + std::string(list) + "|" + after);
      break;
    }
    page.push_back(std::move(item));
    after = key;
  }
  return page;
}

}  // namespace ivsrt::local
