// Fills any model structure, recursively, with deterministic values that respect its constraints:
// every optional member is set. The rule is the one tests/support/botocore_wire.py documents and
// implements in Python, so the two sides of a wire test build the same request independently.
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/utf8.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt_test {

// Appended to every string that is not an HTTP header: JSON escapes, a two-byte and a four-byte
// UTF-8 character, and characters a URI must percent-encode.
inline constexpr std::string_view fill_suffix = " \"\\/\xc3\xa9\n\xf0\x9f\x98\x80";
inline constexpr std::int64_t fill_epoch = 1700000000;

// The constraints the model puts on member `name` of T (none when T has no constraints entry).
template <class T>
ivsrt::limit limit_of(std::string_view name) {
  for (const auto& l : ivsrt::constraints<T>::members) {
    if (l.member == name) return l;
  }
  return ivsrt::limit{};
}

template <class T>
bool header_bound(std::string_view name) {
  for (const auto& b : ivsrt::http_bindings<T>::members) {
    if (b.member == name && b.where == ivsrt::location::header) return true;
  }
  return false;
}

class filler {
 public:
  // `start` is the first counter value, so that several values of one type can differ.
  explicit filler(std::int64_t start = 0) : n_(start) {}

  template <class T>
  void structure(T& v) {
    ivsrt::reflect::for_each_member(v, [&](auto index, auto& member) {
      constexpr std::size_t i = decltype(index)::value;
      constexpr std::string_view cpp_name = ivsrt::reflect::member_names<T>[i];
      const ivsrt::limit lim = limit_of<T>(cpp_name);
      value(member, ivsrt::reflect::wire_names<T>[i], lim.min, lim.max, lim, header_bound<T>(cpp_name));
    });
  }

  static std::string text(std::string_view name, std::int64_t n, double min, double max, bool plain) {
    std::string s =
        std::string(name) + std::to_string(n) + std::string(plain ? std::string_view() : fill_suffix);
    if (std::isfinite(max)) {
      std::size_t i = 0;
      for (double count = 0; i < s.size() && count < max; ++count) i += ivsrt::utf8::sequence_length(s, i);
      s.resize(i);
    }
    while (static_cast<double>(ivsrt::utf8::code_points(s)) < min) s += 'x';
    return s;
  }

 private:
  template <class V>
  void value(V& v, std::string_view name, double min, double max, const ivsrt::limit& lim, bool plain) {
    namespace kinds = ivsrt::kinds;
    if constexpr (kinds::optional<V>) {
      v.emplace();
      value(*v, name, min, max, lim, plain);
    } else if constexpr (kinds::string<V>) {
      v = text(name, next(), min, max, plain);
    } else if constexpr (kinds::secret<V>) {
      v = ivsrt::sensitive_string(text(name, next(), min, max, plain));
    } else if constexpr (kinds::enumeration<V>) {
      constexpr auto strings = enum_strings(typename V::enum_type{});
      v = static_cast<typename V::enum_type>(static_cast<std::size_t>(next()) % strings.size());
    } else if constexpr (kinds::boolean<V>) {
      v = next() % 2 == 0;
    } else if constexpr (kinds::integer<V>) {
      const std::int64_t n = next();
      const std::int64_t lo = std::isfinite(min) ? static_cast<std::int64_t>(min) : 0;
      const std::int64_t hi = std::isfinite(max) ? static_cast<std::int64_t>(max) : lo + 1000;
      v = static_cast<V>(lo + n % (hi - lo + 1));
    } else if constexpr (kinds::floating<V>) {
      const std::int64_t n = next();
      const double lo = std::isfinite(min) ? min : 0;
      const double hi = std::isfinite(max) ? max : lo + 1000;
      const std::int64_t span = std::max<std::int64_t>(1, static_cast<std::int64_t>(hi - lo));
      v = static_cast<V>(lo + static_cast<double>(n % span) + 0.5);
    } else if constexpr (kinds::time_point<V>) {
      v = ivsrt::timestamp(std::chrono::seconds(fill_epoch + next() * 86400) +
                           std::chrono::milliseconds(125));
    } else if constexpr (kinds::list<V>) {
      for (std::size_t i = 0, n = count(min, max); i < n; ++i) {
        v.emplace_back();
        value(v.back(), name, lim.item_min, lim.item_max, ivsrt::limit{}, plain);
      }
    } else if constexpr (kinds::map<V>) {
      for (std::size_t i = 0, n = count(min, max); i < n; ++i) {
        std::string key = text(std::string(name) + "Key", next(), lim.key_min, lim.key_max, plain);
        typename V::mapped_type item{};
        value(item, name, lim.item_min, lim.item_max, ivsrt::limit{}, plain);
        v.emplace(std::move(key), std::move(item));
      }
    } else if constexpr (kinds::structure<V>) {
      structure(v);
    } else {
      static_assert(sizeof(V) == 0, "filler: unsupported member type");
    }
  }

  static std::size_t count(double min, double max) {
    double n = 2;
    if (max < n) n = max;
    if (min > n) n = min;
    return static_cast<std::size_t>(n);
  }

  std::int64_t next() { return n_++; }

  std::int64_t n_ = 0;
};

// A T with every member set by the rule above.
template <class T>
T filled(std::int64_t start = 0) {
  T v{};
  filler(start).structure(v);
  return v;
}

// Type-list helpers for tests that handle every operation.
template <std::size_t Begin, class... T, std::size_t... I>
ivsrt::type_list<std::tuple_element_t<Begin + I, std::tuple<T...>>...> slice_of(ivsrt::type_list<T...>,
                                                                                std::index_sequence<I...>);
// Operations [Begin, End) of List, so that a few translation units can share the work.
template <class List, std::size_t Begin, std::size_t End>
using slice = decltype(slice_of<Begin>(List{}, std::make_index_sequence<End - Begin>{}));

template <class... A, class... B>
ivsrt::type_list<A..., B...> operator+(ivsrt::type_list<A...>, ivsrt::type_list<B...>);
template <class Req>
using keep_if_paginated =
    std::conditional_t<ivsrt::operation<Req>::paging.enabled(), ivsrt::type_list<Req>, ivsrt::type_list<>>;
template <class... T>
auto paginated_of(ivsrt::type_list<T...>) -> decltype((ivsrt::type_list<>{} + ... + keep_if_paginated<T>{}));
// The request types of every paginated operation.
using paginated_operations = decltype(paginated_of(ivsrt::all_operations{}));

template <class... T>
constexpr std::size_t size_of(ivsrt::type_list<T...> /*unused*/) {
  return sizeof...(T);
}

// Calls f.template operator()<T>() for each T of the list.
template <class... T, class F>
void for_each_type(ivsrt::type_list<T...> /*unused*/, F&& f) {
  (f.template operator()<T>(), ...);
}

}  // namespace ivsrt_test
