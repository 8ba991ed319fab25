// Reflected struct -> JSON. Members that are absent optionals are not written; sensitive strings
// can be redacted for logs and --dry-run output.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/utf8.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt::json {

struct write_options {
  bool redact_sensitive = false;  // write sensitive strings as a fixed placeholder
  bool pretty = false;            // two-space indentation, for people
};

class writer {
 public:
  explicit writer(std::string& out, write_options options = {}) : out_(out), opts_(options) {}

  // Writes v; false when a string is not valid UTF-8 or a number cannot be represented.
  template <class T>
  bool value(const T& v) {
    if constexpr (kinds::optional<T>) {
      if (!v.has_value()) {
        out_ += "null";
        return true;
      }
      return value(*v);
    } else if constexpr (kinds::boolean<T>) {
      out_ += v ? "true" : "false";
      return true;
    } else if constexpr (kinds::integer<T>) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v);
      out_.append(buf, r.ptr);
      return true;
    } else if constexpr (kinds::floating<T>) {
      return number(v);
    } else if constexpr (kinds::string<T> || std::is_same_v<T, std::string_view>) {
      return string(v);
    } else if constexpr (kinds::secret<T>) {
      return string(opts_.redact_sensitive ? redacted : std::string_view(v.reveal()));
    } else if constexpr (kinds::enumeration<T>) {
      return string(v.str());
    } else if constexpr (kinds::time_point<T>) {
      return string(format_timestamp(v));
    } else if constexpr (kinds::list<T>) {
      using E = typename T::value_type;
      static_assert(!std::is_same_v<E, bool>,
                    "ivsrt::json::writer: lists are written from contiguous storage");
      return list(v.data(), v.size(), sizeof(E), &write_item<E>);
    } else if constexpr (kinds::map<T>) {
      open('{');
      bool first = true;
      for (const auto& [k, item] : v) {
        if (!entry(first, k, &item, &write_item<typename T::mapped_type>)) return false;
        first = false;
      }
      close('}', v.empty());
      return true;
    } else if constexpr (kinds::structure<T>) {
      return object(v, nullptr);
    } else {
      static_assert(sizeof(T) == 0, "ivsrt::json::writer: unsupported member type");
    }
  }

  // Writes a struct as an object; members whose skip[i] is true are left out (they travel in the
  // URI, query or headers instead of the body).
  template <class T>
  bool object(const T& v, const bool* skip) {
    const auto& slots = table<T>();
    return fields(&v, slots.data(), slots.size(), skip);
  }

  // Path and reason of the first failure, e.g. "participantTokenConfigurations[1].userId".
  [[nodiscard]] std::string failure_path() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) path += *it;
    return path.empty() ? path : (path[0] == '.' ? path.substr(1) : path);
  }
  [[nodiscard]] const std::string& failure_reason() const { return reason_; }

 private:
  using write_function = bool (*)(writer&, const void*);
  using present_function = bool (*)(const void*);

  struct member_slot {
    std::string_view name;
    std::size_t offset;
    write_function write;
    present_function present;  // nullptr: always present
  };

  template <class M>
  static bool write_member(writer& w, const void* member) {
    if constexpr (kinds::optional<M>) {
      return w.value(**static_cast<const M*>(member));
    } else {
      return w.value(*static_cast<const M*>(member));
    }
  }

  template <class M>
  static bool write_item(writer& w, const void* item) {
    return w.value(*static_cast<const M*>(item));
  }

  template <class M>
  static bool has_value(const void* member) {
    return static_cast<const M*>(member)->has_value();
  }

  template <class M>
  static constexpr present_function presence() {
    if constexpr (kinds::optional<M>) {
      return &has_value<M>;
    } else {
      return nullptr;
    }
  }

  // The member table of T, built once: wire names, offsets and one writer per member type.
  template <class T>
  static const std::array<member_slot, reflect::member_count<T>>& table() {
    static const auto slots = reflect::member_table<T, member_slot>(
        []<class M>(reflect::types<M>, std::string_view name, std::size_t offset) {
          return member_slot{name, offset, &write_member<M>, presence<M>()};
        });
    return slots;
  }

  bool fields(const void* object, const member_slot* slots, std::size_t n, const bool* skip) {
    open('{');
    bool first = true;
    for (std::size_t i = 0; i < n; ++i) {
      const member_slot& slot = slots[i];
      const void* member = static_cast<const unsigned char*>(object) + slot.offset;
      if ((skip != nullptr && skip[i]) || (slot.present != nullptr && !slot.present(member))) continue;
      separator(first);
      first = false;
      out_ += '"';
      out_ += slot.name;
      out_ += opts_.pretty ? "\": " : "\":";
      if (!slot.write(*this, member)) return fail_at("." + std::string(slot.name));
    }
    close('}', first);
    return true;
  }

  // A JSON array of n items of `stride` bytes each, from `items` on.
  bool list(const void* items, std::size_t n, std::size_t stride, write_function write) {
    open('[');
    for (std::size_t i = 0; i < n; ++i) {
      separator(i == 0);
      if (!write(*this, static_cast<const unsigned char*>(items) + i * stride)) {
        return fail_at("[" + std::to_string(i) + "]");
      }
    }
    close(']', n == 0);
    return true;
  }

  // One "key": value pair of a map.
  bool entry(bool first, const std::string& k, const void* item, write_function write) {
    separator(first);
    if (!key(k)) return fail_at(".<key>");
    if (!write(*this, item)) return fail_at("." + k);
    return true;
  }

  void open(char c) {
    out_ += c;
    ++depth_;
  }
  void separator(bool first) {
    if (!first) out_ += ',';
    newline();
  }
  void close(char c, bool empty) {
    --depth_;
    if (!empty) newline();
    out_ += c;
  }
  bool key(std::string_view k) {
    if (!string(k)) return false;
    out_ += opts_.pretty ? ": " : ":";
    return true;
  }

  // True when none of the 8 bytes at p needs a closer look: each is printable ASCII other than
  // '"' and '\\'. Exact, like http::field_value_ok: x - 0x20 borrows into a byte's top bit only
  // when some byte is below 0x20, and likewise for a zero byte of x ^ '"' or x ^ '\\'.
  static bool plain_word(const char* p) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t tops = 0x8080808080808080ULL;
    std::uint64_t x = 0;
    std::memcpy(&x, p, sizeof x);
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & tops; };
    return ((x & tops) | ((x - ones * 0x20) & ~x & tops) | has_zero(x ^ (ones * '"')) |
            has_zero(x ^ (ones * '\\'))) == 0;
  }

  bool string(std::string_view s) {
    out_ += '"';
    std::size_t run = 0;  // start of the pending run of bytes that need no escaping
    for (std::size_t i = 0; i < s.size();) {
      if (i + 8 <= s.size() && plain_word(s.data() + i)) {  // most text: eight bytes at a time
        i += 8;
        continue;
      }
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      out_.append(s.data() + run, i - run);
      if (c >= 0x80) {
        const std::size_t n = utf8::sequence_length(s, i);
        if (n == 0) {
          reason_ = "string is not valid UTF-8";
          return false;
        }
        out_.append(s.data() + i, n);
        i += n;
      } else {
        escape(static_cast<char>(c));
        ++i;
      }
      run = i;
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
    return true;
  }

  void escape(char c) {
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default: {
        constexpr char hex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_ += hex[(c >> 4) & 0xF];
        out_ += hex[c & 0xF];
      }
    }
  }

  // Smithy writes non-finite numbers as the strings "NaN", "Infinity" and "-Infinity".
  template <class F>
  bool number(F v) {
    if (std::isnan(v)) return string("NaN");
    if (std::isinf(v)) return string(v > 0 ? "Infinity" : "-Infinity");
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return true;
  }

  void newline() {
    if (!opts_.pretty) return;
    out_ += '\n';
    out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
  }

  bool fail_at(std::string segment) {
    path_.push_back(std::move(segment));
    return false;
  }

  std::string& out_;
  write_options opts_;
  int depth_ = 0;
  std::vector<std::string> path_;
  std::string reason_;
};

namespace detail {

template <class T>
bool write_value(writer& w, const void* v) {
  return w.value(*static_cast<const T*>(v));
}

// The part of to_json that does not depend on the type: writes the value at `v` through `write`.
inline result<std::string> to_json(const void* v, bool (*write)(writer&, const void*),
                                   write_options options) {
  std::string out;
  out.reserve(256);
  writer w(out, options);
  if (!write(w, v)) {
    std::string where = w.failure_path();
    return make_error(error_kind::validation, "InvalidString",
                      (where.empty() ? std::string() : where + ": ") + w.failure_reason());
  }
  return out;
}

}  // namespace detail

// v as a JSON document, or a validation error naming the offending member.
template <class T>
result<std::string> to_json(const T& v, write_options options = {}) {
  return detail::to_json(&v, &detail::write_value<T>, options);
}

}  // namespace ivsrt::json
