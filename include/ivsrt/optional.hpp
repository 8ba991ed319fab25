// ivsrt::optional: std::optional that also accepts a brace list for list and map members, so
// that `.tags = {{"team", "a"}}` and `.tagKeys = {"a", "b"}` work in designated initializers.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace ivsrt {

namespace detail {
// The element type of a container member; substitution fails for anything else.
template <class T, class Delay>
struct list_element {};
template <class T, class Delay>
  requires requires {
    typename T::value_type;
    typename T::iterator;
  } && (!std::is_same_v<T, std::string>)
struct list_element<T, Delay> {
  using type = typename T::value_type;
};
}  // namespace detail

template <class T>
class optional;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_optional<optional<T>> : std::true_type {};
template <class T>
inline constexpr bool is_optional_v = is_optional<T>::value;

template <class T>
class optional : public std::optional<T> {
 public:
  using value_type = T;

  constexpr optional() noexcept = default;
  constexpr optional(std::nullopt_t) noexcept {}  // NOLINT(google-explicit-constructor)
  constexpr optional(T value)                     // NOLINT(google-explicit-constructor)
      : std::optional<T>(std::move(value)) {}
  constexpr optional(std::optional<T> other)  // NOLINT(google-explicit-constructor)
      : std::optional<T>(std::move(other)) {}
  template <class U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::remove_cvref_t<U>, std::optional<T>> && !std::is_same_v<std::remove_cvref_t<U>, optional> &&
             !std::is_same_v<std::remove_cvref_t<U>, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, std::nullopt_t>)
  constexpr optional(U&& value)  // NOLINT(google-explicit-constructor)
      : std::optional<T>(std::in_place, std::forward<U>(value)) {}
  // Delay keeps the element type non-deduced, so {"a", "b"} becomes a list of T's elements.
  template <class Delay = void>
  optional(std::initializer_list<typename detail::list_element<T, Delay>::type> items)
      : std::optional<T>(std::in_place, items) {}

  // Exact-match comparisons, so that std::optional's own (which need a derived-to-base
  // conversion) never make a comparison ambiguous.
  friend bool operator==(const optional& a, const optional& b) {
    return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
  }
  friend bool operator==(const optional& a, std::nullopt_t /*unused*/) noexcept { return !a.has_value(); }
  // Only for values convertible to T: C++20 also tries the reversed form (b == a), and an
  // unconstrained U would capture comparisons meant for U's own operator== (Catch2's decomposer).
  template <class U>
    requires(!is_optional_v<U> && !std::is_same_v<U, std::nullopt_t> && std::is_convertible_v<const U&, T>)
  friend bool operator==(const optional& a, const U& b) {
    return a.has_value() && *a == b;
  }
};

}  // namespace ivsrt
