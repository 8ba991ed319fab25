// Enums that never break parsing: open_enum<E> holds a known enumerator of E or, for a value the
// service added after this client was built, the raw wire string. A default-constructed open_enum
// holds no value at all (str() is empty), so a required enum member that was never set is caught
// by validation instead of silently going out as the first enumerator.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace ivsrt {

// An enum is "wire-mapped" when an ADL-visible enum_strings(E) returns its wire strings,
// indexed by the enumerator's value.
template <class E>
concept wire_enum = std::is_enum_v<E> && requires(E e) {
  enum_strings(e);
};

template <wire_enum E>
constexpr std::string_view to_string(E value) noexcept {
  constexpr auto strings = enum_strings(E{});
  auto i = static_cast<std::size_t>(value);
  return i < strings.size() ? strings[i] : std::string_view{};
}

template <class E>
class open_enum {
 public:
  using enum_type = E;

  // Not set: neither a known enumerator nor a wire string.
  constexpr open_enum() noexcept = default;
  constexpr open_enum(E value) noexcept  // NOLINT(google-explicit-constructor)
      : value_(value), known_(true) {}

  // Maps a wire string to the enumerator, or keeps it verbatim when the client does not know it.
  static open_enum from_string(std::string_view wire) {
    constexpr auto strings = enum_strings(E{});
    for (std::size_t i = 0; i < strings.size(); ++i) {
      if (strings[i] == wire) {
        return open_enum(static_cast<E>(i));
      }
    }
    open_enum unknown;
    unknown.raw_ = std::string(wire);
    return unknown;
  }

  [[nodiscard]] constexpr bool known() const noexcept { return known_; }
  // False for a default-constructed value (and for an empty wire string).
  [[nodiscard]] bool is_set() const noexcept { return known_ || !raw_.empty(); }
  // The enumerator; meaningful only when known().
  [[nodiscard]] constexpr E value() const noexcept { return value_; }
  // The wire string, known or not.
  [[nodiscard]] std::string_view str() const noexcept {
    return known_ ? to_string(value_) : std::string_view(raw_);
  }

  friend constexpr bool operator==(const open_enum& a, E b) noexcept { return a.known_ && a.value_ == b; }
  friend bool operator==(const open_enum& a, const open_enum& b) noexcept {
    return a.known_ == b.known_ && (a.known_ ? a.value_ == b.value_ : a.raw_ == b.raw_);
  }

 private:
  E value_{};
  bool known_ = false;
  std::string raw_;
};

template <class T>
struct is_open_enum : std::false_type {};
template <class E>
struct is_open_enum<open_enum<E>> : std::true_type {};

}  // namespace ivsrt
