// JSON -> reflected struct, with simdjson's DOM parser: the document is validated and indexed in
// one pass by the library's runtime-dispatched SIMD kernels, then read through its tape. (On-Demand
// parses values in header code built for the caller's baseline CPU, and read a small response about
// twice as slowly.) Unknown members are ignored, null means absent, a type mismatch names the
// member path, and a syntax error its byte and member (json_syntax.hpp).
//
// The reader is table-driven: each struct gets a table of its members' wire names, offsets and
// one reading function per member *type*, and the parsing itself lives in non-template functions.
// That keeps the code generated per model type small, which is most of a call site's compile time.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/json_padding.hpp"
#include "ivsrt/json_syntax.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

#if defined(__GNUC__)
#define IVSRT_NOINLINE __attribute__((noinline))
#else
#define IVSRT_NOINLINE
#endif

namespace ivsrt::json {

namespace dom = simdjson::dom;

static_assert(padding >= simdjson::SIMDJSON_PADDING, "json_padding.hpp is behind simdjson");

// Documents nested more levels deep than this (the root is the first) are refused; the
// service's own nest a few.
inline constexpr std::size_t max_depth = 64;

class reader;

// Reads one JSON value into the object at `target`, whose type the function knows.
using read_function = bool (*)(reader&, dom::element, void* target);

struct member_slot {
  std::string_view name;
  std::size_t offset;
  read_function read;
};

class reader {
 public:
  template <class T>
  bool value(dom::element v, T& out) {
    const bool null = v.is_null();
    if constexpr (kinds::optional<T>) {
      if (null) {
        out.reset();
        return true;
      }
      out.emplace();
      return present(v, *out);
    } else {
      return null || present(v, out);  // null means absent: keep the default
    }
  }

  static const char* json_type_name(dom::element_type t) noexcept {
    switch (t) {
      case dom::element_type::ARRAY: return "an array";
      case dom::element_type::OBJECT: return "an object";
      case dom::element_type::INT64:
      case dom::element_type::UINT64:
      case dom::element_type::DOUBLE: return "a number";
      case dom::element_type::STRING: return "a string";
      case dom::element_type::BOOL: return "a boolean";
      case dom::element_type::NULL_VALUE: return "null";
    }
    return "another value";
  }

  // Reads a struct from the document's root, which must be an object.
  template <class T>
  bool document(dom::element doc, T& out) {
    const auto& slots = table<T>();
    return root(doc, &out, slots.data(), slots.size());
  }

  [[nodiscard]] std::string failure_path() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) path += *it;
    return !path.empty() && path[0] == '.' ? path.substr(1) : path;
  }
  [[nodiscard]] const std::string& failure_reason() const { return reason_; }
  // Fails the read of a document whose root is not what the caller reads.
  bool fail_root(std::string reason) { return fail(std::move(reason)); }

  template <class T>
  bool present(dom::element v, T& out) {
    if constexpr (kinds::boolean<T>) {
      return read_bool(v, out);
    } else if constexpr (kinds::integer<T>) {
      static_assert(std::is_signed_v<T>, "the model has signed integers only");
      std::int64_t n = 0;
      if (!read_integer(v, n, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), sizeof(T) * 8)) {
        return false;
      }
      out = static_cast<T>(n);
      return true;
    } else if constexpr (kinds::floating<T>) {
      double d = 0;
      // What rounds to T's largest value is in range (3.4028235e38, as Java prints the largest
      // float, lies just above it): the limit is half a unit in the last place beyond it.
      using lim = std::numeric_limits<T>;
      const double limit =
          std::is_same_v<T, double>
              ? std::numeric_limits<double>::infinity()
              : static_cast<double>(lim::max()) + std::ldexp(1.0, lim::max_exponent - lim::digits - 1);
      if (!read_number(v, d, limit)) return false;
      out = static_cast<T>(d);
      return true;
    } else if constexpr (kinds::string<T>) {
      return read_string(v, out);
    } else if constexpr (kinds::secret<T>) {
      std::string s;
      if (!read_string(v, s)) return false;
      out = sensitive_string(std::move(s));
      return true;
    } else if constexpr (kinds::enumeration<T>) {
      std::string_view s;
      if (!read_string_view(v, s)) return false;
      out = T::from_string(s);
      return true;
    } else if constexpr (kinds::time_point<T>) {
      return read_time(v, out);
    } else if constexpr (kinds::list<T>) {
      out.clear();
      return array(v, &out, &append_item<T>);
    } else if constexpr (kinds::map<T>) {
      out.clear();
      return object_map(v, &out, &insert_item<T>);
    } else if constexpr (kinds::structure<T>) {
      const auto& slots = table<T>();
      return structure(v, &out, slots.data(), slots.size());
    } else {
      static_assert(sizeof(T) == 0, "ivsrt::json::reader: unsupported member type");
    }
  }

 private:
  template <class M>
  static bool read_member(reader& r, dom::element v, void* target) {
    return r.value(v, *static_cast<M*>(target));
  }

  // The member table of T, built once.
  template <class T>
  static const std::array<member_slot, reflect::member_count<T>>& table() {
    static const auto slots = reflect::member_table<T, member_slot>(
        []<class M>(reflect::types<M>, std::string_view name, std::size_t offset) {
          return member_slot{name, offset, &read_member<M>};
        });
    return slots;
  }

  // A list element is appended, then read in place.
  template <class L>
  static bool append_item(reader& r, dom::element v, void* list) {
    auto& items = *static_cast<L*>(list);
    items.emplace_back();
    return r.present(v, items.back());
  }

  // The item is read in place; a repeated key starts again from an empty value, so the last wins.
  template <class M>
  static bool insert_item(reader& r, std::string_view key, dom::element v, void* map) {
    auto [at, inserted] = static_cast<M*>(map)->try_emplace(std::string(key));
    if (!inserted) at->second = typename M::mapped_type{};
    return r.present(v, at->second);
  }

  IVSRT_NOINLINE bool read_bool(dom::element v, bool& out) {
    if (v.get_bool().get(out) != simdjson::SUCCESS) return fail("expected a boolean");
    return true;
  }

  IVSRT_NOINLINE bool read_integer(dom::element v, std::int64_t& out, std::int64_t min, std::int64_t max,
                                   std::size_t bits) {
    if (v.get_int64().get(out) != simdjson::SUCCESS) {
      // JSON has one kind of number: 1e3 and 1000.0 are the integer 1000, as the JavaScript and
      // Python SDKs read them. A fraction, or a number past 64 bits, is not an integer.
      double d = 0;
      if (v.get_double().get(d) != simdjson::SUCCESS || d != std::trunc(d))
        return fail("expected an integer");
      if (!(d >= -0x1p63 && d < 0x1p63))
        return fail("integer out of range for " + std::to_string(bits) + "-bit member");
      out = static_cast<std::int64_t>(d);
    }
    if (out < min || out > max) {
      return fail("integer out of range for " + std::to_string(bits) + "-bit member");
    }
    return true;
  }

  // A number whose magnitude is below `limit`, or one of the strings Smithy uses for non-finite
  // numbers.
  IVSRT_NOINLINE bool read_number(dom::element v, double& out, double limit) {
    if (v.is_string()) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a number");
      if (s == "NaN")
        out = std::numeric_limits<double>::quiet_NaN();
      else if (s == "Infinity")
        out = std::numeric_limits<double>::infinity();
      else if (s == "-Infinity")
        out = -std::numeric_limits<double>::infinity();
      else
        return fail("expected a number");
      return true;
    }
    if (v.get_double().get(out) != simdjson::SUCCESS) return fail("expected a number");
    if (!(std::fabs(out) < limit)) return fail("number out of range");
    return true;
  }

  IVSRT_NOINLINE bool read_string_view(dom::element v, std::string_view& out) {
    if (v.get_string().get(out) != simdjson::SUCCESS) return fail("expected a string");
    return true;
  }

  IVSRT_NOINLINE bool read_string(dom::element v, std::string& out) {
    std::string_view s;
    if (!read_string_view(v, s)) return false;
    // Members start empty: constructing is cheaper than assign's aliasing-safe path.
    if (out.empty())
      out = std::string(s);
    else
      out.assign(s.data(), s.size());
    return true;
  }

  // Epoch seconds as written: 1700000000.001 is the double 1700000000.00099992752..., and
  // multiplying it by 1e9 would give ...000.000999927. The shortest decimal that reads back as the
  // same double is what the sender wrote (up to 17 significant digits), so its digits are used.
  static std::optional<timestamp> epoch_seconds(double secs) {
    char text[400];  // longer than the fixed form of any double below 1e10 (5e-324 is the longest)
    const auto written = std::to_chars(text, text + sizeof text, std::fabs(secs), std::chars_format::fixed);
    if (written.ec != std::errc()) return std::nullopt;
    std::int64_t whole = 0;
    std::int64_t nanos = 0;
    const char* p = text;
    for (; p != written.ptr && *p != '.'; ++p) whole = whole * 10 + (*p - '0');
    if (p != written.ptr) ++p;
    for (std::int64_t scale = 100'000'000; scale > 0; scale /= 10) {
      if (p != written.ptr) nanos += (*p++ - '0') * scale;
    }
    if (p != written.ptr && *p >= '5') ++nanos;  // the tenth digit rounds
    const std::int64_t total = whole * 1'000'000'000 + nanos;
    return timestamp(std::chrono::nanoseconds(secs < 0 ? -total : total));
  }

  // ISO 8601 strings, or epoch seconds (the other timestamp form Smithy protocols use).
  IVSRT_NOINLINE bool read_time(dom::element v, timestamp& out) {
    if (v.is_number()) {
      double secs = 0;
      if (v.get_double().get(secs) != simdjson::SUCCESS || !std::isfinite(secs) ||
          std::fabs(secs) > static_cast<double>(max_timestamp_seconds)) {
        return fail("expected a timestamp");
      }
      const auto t = epoch_seconds(secs);
      if (!t) return fail("expected a timestamp");
      out = *t;
      return true;
    }
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a timestamp string");
    auto t = parse_timestamp(s);
    if (!t) return fail("not an ISO 8601 date-time in the years 1678 to 2262");
    out = *t;
    return true;
  }

  // Reads a JSON array; null elements are skipped, each other element is appended and read.
  IVSRT_NOINLINE bool array(dom::element v, void* list, read_function append) {
    dom::array items;
    if (v.get_array().get(items) != simdjson::SUCCESS) return fail("expected an array");
    std::size_t i = 0;
    for (dom::element item : items) {
      if (!item.is_null() && !append(*this, item, list)) return fail_at("[" + std::to_string(i) + "]");
      ++i;
    }
    return true;
  }

  using insert_function = bool (*)(reader&, std::string_view, dom::element, void*);

  IVSRT_NOINLINE bool object_map(dom::element v, void* map, insert_function insert) {
    dom::object entries;
    if (v.get_object().get(entries) != simdjson::SUCCESS) return fail("expected an object");
    for (dom::key_value_pair entry : entries) {
      if (!entry.value.is_null() && !insert(*this, entry.key, entry.value, map)) {
        std::string segment = ".";
        detail::append_shown_name(segment, entry.key);
        return fail_at(std::move(segment));
      }
    }
    return true;
  }

  // The document's root object, read through the member table.
  IVSRT_NOINLINE bool root(dom::element doc, void* out, const member_slot* slots, std::size_t n) {
    dom::object object;
    // A JSON array or string at the root is JSON of the wrong shape (text that is not JSON at
    // all fails earlier, in the parser).
    if (doc.get_object().get(object) != simdjson::SUCCESS) {
      return fail(std::string("expected a JSON object, not ") + json_type_name(doc.type()));
    }
    return fields(object, out, slots, n);
  }

  IVSRT_NOINLINE bool structure(dom::element v, void* out, const member_slot* slots, std::size_t n) {
    dom::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) return fail("expected an object");
    return fields(object, out, slots, n);
  }

  IVSRT_NOINLINE bool fields(dom::object object, void* out, const member_slot* slots, std::size_t n) {
    std::size_t hint = 0;
    for (dom::key_value_pair field : object) {
      const member_slot* slot = find_slot(slots, n, hint, field.key);
      if (slot == nullptr) continue;  // a member this client does not model
      if (!slot->read(*this, field.value, static_cast<unsigned char*>(out) + slot->offset)) {
        return fail_at("." + std::string(slot->name));
      }
    }
    return true;
  }

  // The slot named `key`, looked for from `hint` on, since services write members in a fixed
  // order: the slot after the last match is usually the next. Moves hint past the match.
  static const member_slot* find_slot(const member_slot* slots, std::size_t n, std::size_t& hint,
                                      std::string_view key) noexcept {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = hint + k < n ? hint + k : hint + k - n;
      if (slots[i].name == key) {
        hint = i + 1 < n ? i + 1 : 0;
        return &slots[i];
      }
    }
    return nullptr;
  }

  bool fail(std::string reason) {
    if (reason_.empty()) reason_ = std::move(reason);
    return false;
  }
  bool fail_at(std::string segment) {
    path_.push_back(std::move(segment));
    return false;
  }

  std::vector<std::string> path_;
  std::string reason_;
};

// The DOM parser of the calling thread; it keeps its buffers between documents, up to
// kept_capacity bytes of document: after a larger one it lets them go.
inline constexpr std::size_t kept_capacity = std::size_t{1} << 20;

inline dom::parser& thread_parser() {
  thread_local dom::parser parser;
  return parser;
}

namespace detail {

// Reads a document into the object at `out`, whose type the function knows.
using document_reader = bool (*)(reader&, dom::element, void*);

// The error for a document simdjson refused. For a malformed one it names the first byte where
// the text stops being JSON, and the member around it, which simdjson does not say.
inline error parser_error(simdjson::error_code e, std::string_view text) {
  if (e == simdjson::DEPTH_ERROR)
    return make_error(error_kind::parse, "InvalidResponse", "JSON nested too deeply");
  if (e == simdjson::MEMALLOC || e == simdjson::CAPACITY) {
    return make_error(
        error_kind::parse, "InvalidResponse",
        std::string("the JSON parser could not hold the document: ") + simdjson::error_message(e));
  }
  if (const auto where = locate_syntax_error(text, max_depth)) {
    std::string message = "malformed JSON at byte offset " + std::to_string(where->offset);
    if (!where->path.empty()) message.append(", in ").append(where->path);
    return make_error(error_kind::parse, "MalformedJson", message.append(": ").append(where->reason));
  }
  return make_error(error_kind::parse, "MalformedJson",
                    std::string("malformed JSON: ") + simdjson::error_message(e));
}

// Parses the padded document and runs `read` on it; the non-template part of from_json.
IVSRT_NOINLINE inline result<void> parse_document(std::string_view text, std::size_t capacity, void* out,
                                                  document_reader read) {
  dom::parser& parser = thread_parser();
  // simdjson refuses a document as deep as its limit; ours is the deepest accepted.
  constexpr std::size_t depth_limit = max_depth + 1;
  if (parser.max_depth() != depth_limit) {
    if (auto e = parser.allocate(std::max(text.size(), std::size_t{64}), depth_limit);
        e != simdjson::SUCCESS) {
      return parser_error(e, text);
    }
  }
  dom::element doc;
  const bool in_place = capacity >= text.size() + padding;
  if (auto e = parser.parse(text.data(), text.size(), !in_place).get(doc); e != simdjson::SUCCESS) {
    if (e == simdjson::NUMBER_ERROR) {
      if (auto held = with_numbers_in_range(text, max_depth)) {
        return parse_document(*held, held->capacity(), out, read);  // held has no such number left
      }
    }
    return parser_error(e, text);
  }
  reader r;
  const bool ok = read(r, doc, out);
  if (parser.capacity() > kept_capacity) parser = dom::parser();
  if (!ok) {
    std::string where = r.failure_path();
    return make_error(error_kind::parse, "InvalidResponse",
                      (where.empty() ? std::string() : where + ": ") + r.failure_reason());
  }
  return {};
}

template <class T>
bool read_document(reader& r, dom::element doc, void* out) {
  return r.document(doc, *static_cast<T*>(out));
}

struct string_members {
  std::span<const std::string_view> names;
  std::span<std::optional<std::string>> values;
};

inline bool read_string_members(reader& r, dom::element doc, void* out) {
  const auto& [names, values] = *static_cast<string_members*>(out);
  dom::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) {
    return r.fail_root(std::string("expected a JSON object, not ") + reader::json_type_name(doc.type()));
  }
  for (dom::key_value_pair field : object) {
    std::string_view value;
    if (field.value.get_string().get(value) != simdjson::SUCCESS) continue;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == field.key) values[i] = std::string(value);
    }
  }
  return true;
}

}  // namespace detail

// Parses `text` into out. `capacity` is the size of the buffer behind text; when it is smaller
// than text.size() + padding the text is copied into a padded buffer first.
template <class T>
result<void> from_json(std::string_view text, std::size_t capacity, T& out) {
  return detail::parse_document(text, capacity, &out, &detail::read_document<T>);
}

template <class T>
result<void> from_json(std::string_view text, T& out) {
  return from_json(text, 0, out);
}

// The string members of the object at the document's root whose names are in `names`, each into
// `values` at the same index (of a repeated name, the last). A member of another type counts as
// absent, so that one odd member does not cost the others: error documents are read this way.
inline result<void> read_string_members(std::string_view text, std::size_t capacity,
                                        std::span<const std::string_view> names,
                                        std::span<std::optional<std::string>> values) {
  detail::string_members out{names, values};
  return detail::parse_document(text, capacity, &out, &detail::read_string_members);
}

}  // namespace ivsrt::json
