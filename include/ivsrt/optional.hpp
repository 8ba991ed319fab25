// ivsrt::optional: std::optional that also accepts a brace list for list and map members, so
// that `.tags = {{"team", "a"}}` and `.tagKeys = {"a", "b"}` work in designated initializers.
#pragma once

#include <cstdio>
#include <cstdlib>
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
// clang-format 14 mangles requires-clauses: these two declarations are laid out by hand.
// clang-format off
template <class T, class Delay>
  requires requires {
    typename T::value_type;
    typename T::iterator;
  } && (!std::is_same_v<T, std::string>)
struct list_element<T, Delay> {
  using type = typename T::value_type;
};
// clang-format on
}  // namespace detail

template <class T>
class optional;

namespace detail {
// `*` and `->` on an empty optional member: a message and std::bad_optional_access (or abort
// without exceptions), as for a failed result, rather than undefined behaviour.
[[noreturn]] inline void empty_optional_access() {
#if defined(__cpp_exceptions)
  throw std::bad_optional_access();
#else
  std::fputs("ivsrt: * or -> used on an optional member that holds no value\n", stderr);
  std::abort();
#endif
}
}  // namespace detail

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
  // clang-format off
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, std::optional<T>> &&
             !std::is_same_v<std::remove_cvref_t<U>, optional> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, std::nullopt_t>)
  // Constrained so that it never hides the copy and move constructors.
  constexpr optional(U&& value)  // NOLINT(google-explicit-constructor,bugprone-forwarding-reference-overload)
      : std::optional<T>(std::in_place, std::forward<U>(value)) {}
  // clang-format on
  // Delay keeps the element type non-deduced, so {"a", "b"} becomes a list of T's elements.
  template <class Delay = void>
  optional(std::initializer_list<typename detail::list_element<T, Delay>::type> items)
      : std::optional<T>(std::in_place, items) {}

  // Checked, unlike std::optional's: a response member the service left out is a common surprise.
  constexpr T* operator->() { return &checked(*this); }
  constexpr const T* operator->() const { return &checked(*this); }
  constexpr T& operator*() & { return checked(*this); }
  constexpr const T& operator*() const& { return checked(*this); }
  constexpr T&& operator*() && { return std::move(checked(*this)); }
  constexpr const T&& operator*() const&& { return std::move(checked(*this)); }

 private:
  template <class Self>
  static constexpr auto& checked(Self& self) {
    if (!self.has_value()) detail::empty_optional_access();
    using base = std::conditional_t<std::is_const_v<Self>, const std::optional<T>, std::optional<T>>;
    return *static_cast<base&>(self);
  }
};

// Without this, comparing two ivsrt::optional would be ambiguous between std::optional's
// optional-to-optional and optional-to-value comparisons. Both sides are deduced, so it is never a
// candidate for a comparison with a plain value, in either order.
template <class T, class U>
bool operator==(const optional<T>& a, const optional<U>& b) {
  return static_cast<const std::optional<T>&>(a) == static_cast<const std::optional<U>&>(b);
}

}  // namespace ivsrt
