// Pages of list results with opaque nextTokens. A token (base64url, within the model's
// PaginationToken pattern) names the list it belongs to and the sort key of the last item
// returned, so pages stay consistent while items are added or removed between calls, and a token
// from one list is refused by another.
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
#include "ivsrt/tokens/base64url.hpp"

namespace ivsrt::local {

// Zero-padded, so that string order is numeric order.
inline std::string sort_key(std::int64_t n) {
  std::string digits = std::to_string(n);
  return std::string(digits.size() < 19 ? 19 - digits.size() : 0, '0') + digits;
}

// A key that sorts the newest (highest sequence number) first.
inline std::string newest_first_key(std::int64_t n) {
  return sort_key(INT64_MAX - n);
}

// One page of `keyed`, in key order: the items after the token's key, at most
// max_results (default_max when absent); sets next_token when more remain.
template <class Item>
result<std::vector<Item>> take_page(std::vector<std::pair<std::string, Item>> keyed,
                                    const optional<std::string>& token,
                                    const optional<std::int32_t>& max_results, std::int32_t default_max,
                                    std::string_view list, optional<std::string>& next_token) {
  std::string after;
  if (token.has_value() && !token->empty()) {
    auto decoded = tokens::base64url::decode(*token);
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
      next_token = tokens::base64url::encode("v1|" + std::string(list) + "|" + after);
      break;
    }
    page.push_back(std::move(item));
    after = key;
  }
  return page;
}

}  // namespace ivsrt::local
