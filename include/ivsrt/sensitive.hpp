// sensitive_string: a string the service model marks sensitive (participant tokens, stream keys)
// or that is a secret of ours. It is redacted in logs, --dry-run output and error text, and its
// bytes are overwritten when it is released.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace ivsrt {

// Overwrites the bytes s holds and empties it; its spare capacity is left as it is (for buffers
// that are wiped after every use, so that nothing was ever left there).
inline void wipe_contents(std::string& s) noexcept {
  // memset called through a volatile pointer: the optimiser cannot tell what it does, so cannot
  // drop it as a dead store, and it runs at memset's speed rather than a byte at a time.
  static void* (*const volatile zero)(void*, int, std::size_t) = &std::memset;
  zero(s.data(), 0, s.size());
  s.clear();
}

// Overwrites a string's whole buffer, including bytes past size() that a short-string buffer or a
// previous longer value may still hold, and empties it.
inline void wipe(std::string& s) noexcept {
  s.resize(s.capacity());
  wipe_contents(s);
}

class sensitive_string {
 public:
  sensitive_string() = default;
  sensitive_string(std::string value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  sensitive_string(const char* value) : value_(value) {}             // NOLINT(google-explicit-constructor)
  explicit sensitive_string(std::string_view value) : value_(value) {}
  sensitive_string(const sensitive_string&) = default;
  sensitive_string(sensitive_string&& other) noexcept : value_(std::move(other.value_)) {
    wipe(other.value_);
  }
  sensitive_string& operator=(const sensitive_string& other) {
    if (this != &other) {
      wipe(value_);
      value_ = other.value_;
    }
    return *this;
  }
  sensitive_string& operator=(sensitive_string&& other) noexcept {
    if (this != &other) {
      wipe(value_);
      value_ = std::move(other.value_);
      wipe(other.value_);
    }
    return *this;
  }
  ~sensitive_string() { wipe(value_); }

  // The secret itself. Named so that every read of a secret is visible in the code.
  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return value_.size(); }

  friend bool operator==(const sensitive_string& a, const sensitive_string& b) noexcept {
    return a.value_ == b.value_;
  }
  friend bool operator==(const sensitive_string& a, std::string_view b) noexcept { return a.value_ == b; }

 private:
  std::string value_;
};

// What appears wherever a sensitive value would otherwise be printed.
inline constexpr std::string_view redacted = "*** redacted ***";

}  // namespace ivsrt
