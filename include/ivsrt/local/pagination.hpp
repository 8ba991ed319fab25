// Pages of list results with opaque nextTokens. A token (base64url, within the model's
// PaginationToken pattern) names the list it belongs to and the sort key of the last item
// returned, so pages stay consistent while items are added or removed between calls, and a token
// from one list is refused by another.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/base64url.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/local/errors.hpp"
#include "ivsrt/optional.hpp"

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

// Which entries of `keys` make one page, in key order: those after the token's key, at most
// max_results (default_max when absent); sets next_token when more remain. The part of take_page
// that does not depend on the item type, so it is compiled once.
inline result<std::vector<std::size_t>> page_indices(const std::vector<std::string>& keys,
                                                     const optional<std::string>& token,
                                                     const optional<std::int32_t>& max_results,
                                                     std::int32_t default_max, std::string_view list,
                                                     optional<std::string>& next_token) {
  std::string after;
  if (token.has_value() && !token->empty()) {
    auto decoded = base64url::decode(*token);
    const std::string prefix = "v1|" + std::string(list) + "|";
    if (!decoded || decoded->compare(0, prefix.size(), prefix) != 0) {
      return validation_error("nextToken: the pagination token is not valid for " + std::string(list));
    }
    after = decoded->substr(prefix.size());
  }
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  const auto limit = static_cast<std::size_t>(max_results.value_or(default_max));
  std::vector<std::size_t> page;
  next_token.reset();
  for (std::size_t i : order) {
    if (!after.empty() && keys[i] <= after) continue;
    if (page.size() == limit) {
      next_token = base64url::encode("v1|" + std::string(list) + "|" + after);
      break;
    }
    page.push_back(i);
    after = keys[i];
  }
  return page;
}

// The items of a list with their sort keys, kept apart so that every item type shares the keys'
// code.
template <class Item>
struct keyed_items {
  std::vector<std::string> keys;
  std::vector<Item> items;

  void add(std::string key, Item item) {
    keys.push_back(std::move(key));
    items.push_back(std::move(item));
  }
};

// One page of `keyed`, as page_indices chooses it.
template <class Item>
result<std::vector<Item>> take_page(keyed_items<Item> keyed, const optional<std::string>& token,
                                    const optional<std::int32_t>& max_results, std::int32_t default_max,
                                    std::string_view list, optional<std::string>& next_token) {
  auto chosen = page_indices(keyed.keys, token, max_results, default_max, list, next_token);
  if (!chosen) return chosen.error();
  std::vector<Item> page;
  page.reserve(chosen->size());
  for (std::size_t i : *chosen) page.push_back(std::move(keyed.items[i]));
  return page;
}

}  // namespace ivsrt::local
