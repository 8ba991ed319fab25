// Per-operation traits and per-shape constraints: the only facts about an operation that
// reflection cannot see. The model headers specialise these; the client reads them.
#pragma once

#include <array>
#include <limits>
#include <string_view>

namespace ivsrt {

// Where a request or response member travels when it is not in the JSON body.
enum class location : unsigned char { uri, query, header };

struct binding {
  std::string_view member;  // C++ member name
  location where;
  std::string_view wire_name;  // URI label, query key or header name
};

// Paginated list operations: the token members, the page-size member and the items member.
struct pagination {
  std::string_view input_token;
  std::string_view output_token;
  std::string_view page_size;
  std::string_view items;
  [[nodiscard]] constexpr bool enabled() const noexcept { return !items.empty(); }
};

// Defaults every operation's traits inherit: no idempotency token, not paginated.
struct operation_defaults {
  static constexpr std::string_view idempotency_token{};
  static constexpr pagination paging{};
};

// operation<Input> names the operation whose request type is Input:
//   using output = ...; name; method; uri; plus any of operation_defaults it overrides.
template <class Input>
struct operation;

// Members of a shape that travel outside the JSON body. Shapes without such members keep the
// empty default.
template <class Shape>
struct http_bindings {
  static constexpr std::array<binding, 0> members{};
};

template <class T>
concept request = requires {
  typename operation<T>::output;
  operation<T>::name;
};

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

// The model's constraints on one member. Each bound is a string length in code points, a list or
// map size, or a numeric range, depending on what it applies to: the member itself, each key
// of a map, or each element of a list (or value of a map).
struct limit {
  std::string_view member;
  double min = -unbounded;
  double max = unbounded;
  double key_min = -unbounded;
  double key_max = unbounded;
  double item_min = -unbounded;
  double item_max = unbounded;
};

template <class Shape>
struct constraints {
  static constexpr std::array<limit, 0> members{};
};

}  // namespace ivsrt
