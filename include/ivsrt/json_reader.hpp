// JSON -> reflected struct, with simdjson On-Demand. Unknown members are skipped (after checking
// they are well-formed JSON), null means absent, and a failure names the member path.
//
// The reader is table-driven: each struct gets a table of its members' wire names, offsets and
// one reading function per member *type*, and the parsing itself lives in non-template functions.
// That keeps the code generated per model type small, which is most of a call site's compile time.
#pragma once

#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/json_padding.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

#if defined(__GNUC__)
#define IVSRT_NOINLINE __attribute__((noinline))
#else
#define IVSRT_NOINLINE
#endif

namespace ivsrt::json {

namespace od = simdjson::ondemand;

static_assert(padding >= simdjson::SIMDJSON_PADDING, "json_padding.hpp is behind simdjson");

// Deeper nesting than this in members the client skips is refused.
inline constexpr int max_skip_depth = 64;

class reader;

// Reads one JSON value into the object at `target`, whose type the function knows.
using read_function = bool (*)(reader&, od::value, void* target);

struct member_slot {
  std::string_view name;
  std::size_t offset;
  read_function read;
};

class reader {
 public:
  template <class T>
  bool value(od::value v, T& out) {
    bool null = false;
    if (!is_null(v, null)) return false;
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

  static const char* json_type_name(od::json_type t) noexcept {
    switch (t) {
      case od::json_type::array: return "an array";
      case od::json_type::object: return "an object";
      case od::json_type::number: return "a number";
      case od::json_type::string: return "a string";
      case od::json_type::boolean: return "a boolean";
      case od::json_type::null: return "null";
    }
    return "another value";
  }

  // Reads a struct from the document's root object.
  template <class T>
  bool document(od::document& doc, T& out) {
    const auto& slots = table<T>();
    return root(doc, &out, slots.data(), slots.size());
  }

  [[nodiscard]] std::string failure_path() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) path += *it;
    return !path.empty() && path[0] == '.' ? path.substr(1) : path;
  }
  [[nodiscard]] const std::string& failure_reason() const { return reason_; }

  template <class T>
  bool present(od::value v, T& out) {
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
      if (!read_number(v, d, static_cast<double>(std::numeric_limits<T>::max()))) return false;
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
  static bool read_member(reader& r, od::value v, void* target) {
    return r.value(v, *static_cast<M*>(target));
  }

  // The member table of T, built once.
  template <class T>
  static const std::array<member_slot, reflect::member_count<T>>& table() {
    static const auto slots = [] {
      std::array<member_slot, reflect::member_count<T>> out{};
      const auto& offsets = reflect::member_offsets<T>();
      [&]<class... M>(reflect::types<M...>) {
        std::size_t i = 0;
        ((out[i] = member_slot{reflect::wire_names<T>[i], offsets[i], &read_member<M>}, ++i), ...);
      }(reflect::member_types<T>{});
      return out;
    }();
    return slots;
  }

  // A list element is appended, then read in place.
  template <class L>
  static bool append_item(reader& r, od::value v, void* list) {
    auto& items = *static_cast<L*>(list);
    items.emplace_back();
    return r.present(v, items.back());
  }

  template <class M>
  static bool insert_item(reader& r, std::string_view key, od::value v, void* map) {
    typename M::mapped_type item{};
    if (!r.present(v, item)) return false;
    static_cast<M*>(map)->insert_or_assign(std::string(key), std::move(item));
    return true;
  }

  IVSRT_NOINLINE bool is_null(od::value& v, bool& null) {
    if (v.is_null().get(null) != simdjson::SUCCESS) return fail("malformed JSON");
    return true;
  }

  IVSRT_NOINLINE bool read_bool(od::value& v, bool& out) {
    if (v.get_bool().get(out) != simdjson::SUCCESS) return fail("expected a boolean");
    return true;
  }

  IVSRT_NOINLINE bool read_integer(od::value& v, std::int64_t& out, std::int64_t min, std::int64_t max,
                                   std::size_t bits) {
    if (v.get_int64().get(out) != simdjson::SUCCESS) return fail("expected an integer");
    if (out < min || out > max) {
      return fail("integer out of range for " + std::to_string(bits) + "-bit member");
    }
    return true;
  }

  // Numbers, and the strings Smithy uses for non-finite numbers.
  IVSRT_NOINLINE bool read_number(od::value& v, double& out, double max) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return fail("malformed JSON");
    if (type == od::json_type::string) {
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
    if (std::fabs(out) > max) return fail("number out of range");
    return true;
  }

  IVSRT_NOINLINE bool read_string_view(od::value& v, std::string_view& out) {
    if (v.get_string().get(out) != simdjson::SUCCESS) return fail("expected a string");
    return true;
  }

  IVSRT_NOINLINE bool read_string(od::value& v, std::string& out) {
    std::string_view s;
    if (!read_string_view(v, s)) return false;
    out.assign(s.data(), s.size());
    return true;
  }

  // ISO 8601 strings, or epoch seconds (the other timestamp form Smithy protocols use).
  IVSRT_NOINLINE bool read_time(od::value& v, timestamp& out) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return fail("malformed JSON");
    if (type == od::json_type::number) {
      double secs = 0;
      if (v.get_double().get(secs) != simdjson::SUCCESS || !std::isfinite(secs) ||
          std::fabs(secs) > static_cast<double>(max_timestamp_seconds)) {
        return fail("expected a timestamp");
      }
      out = timestamp(std::chrono::nanoseconds(std::llround(secs * 1e9)));
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
  IVSRT_NOINLINE bool array(od::value& v, void* list, read_function append) {
    od::array items;
    if (v.get_array().get(items) != simdjson::SUCCESS) return fail("expected an array");
    std::size_t i = 0;
    for (auto element : items) {
      od::value item;
      if (auto e = element.get(item); e != simdjson::SUCCESS) return fail(e);
      bool null = false;
      if (!is_null(item, null)) return false;
      if (!null && !append(*this, item, list)) return fail_at("[" + std::to_string(i) + "]");
      ++i;
    }
    return true;
  }

  using insert_function = bool (*)(reader&, std::string_view, od::value, void*);

  IVSRT_NOINLINE bool object_map(od::value& v, void* map, insert_function insert) {
    od::object entries;
    if (v.get_object().get(entries) != simdjson::SUCCESS) return fail("expected an object");
    for (auto field : entries) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) return fail(e);
      std::string k(key);
      od::value item;
      if (auto e = field.value().get(item); e != simdjson::SUCCESS) return fail(e);
      bool null = false;
      if (!is_null(item, null)) return false;
      if (!null && !insert(*this, k, item, map)) return fail_at("." + k);
    }
    return true;
  }

  // The document's root object, read through the member table.
  IVSRT_NOINLINE bool root(od::document& doc, void* out, const member_slot* slots, std::size_t n) {
    od::object object;
    if (auto e = doc.get_object().get(object); e != simdjson::SUCCESS) {
      od::json_type type{};
      if (e != simdjson::INCORRECT_TYPE)
        return fail(std::string("malformed JSON: ") + simdjson::error_message(e));
      // A proxy's HTML page or plain text is not JSON at all; an array or a string is JSON of the
      // wrong shape.
      if (doc.type().get(type) != simdjson::SUCCESS)
        return fail("malformed JSON: the body is not a JSON value");
      return fail(std::string("expected a JSON object, not ") + json_type_name(type));
    }
    if (!fields(object, out, slots, n)) return false;
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      return fail("unexpected data after the JSON document");
    }
    return true;
  }

  IVSRT_NOINLINE bool structure(od::value& v, void* out, const member_slot* slots, std::size_t n) {
    od::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) return fail("expected an object");
    return fields(object, out, slots, n);
  }

  IVSRT_NOINLINE bool fields(od::object& object, void* out, const member_slot* slots, std::size_t n) {
    std::size_t hint = 0;
    for (auto entry : object) {
      od::field field;
      if (auto e = std::move(entry).get(field); e != simdjson::SUCCESS) return fail(e);
      // Compared as written first, which spares unescaping the key; a key with escapes in it
      // matches no member that way and is unescaped and compared again.
      const char* raw = field.key().raw();
      const member_slot* slot =
          find_slot(slots, n, hint, [raw](std::string_view name) { return written_as(raw, name); });
      std::string_view key;
      if (slot == nullptr) {
        if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) return fail(e);
        slot = find_slot(slots, n, hint, [key](std::string_view name) { return name == key; });
      }
      od::value item = field.value();
      if (slot == nullptr) {
        if (!skip(item, 0)) return fail_at("." + std::string(key));
        continue;
      }
      if (!slot->read(*this, item, static_cast<unsigned char*>(out) + slot->offset)) {
        return fail_at("." + std::string(slot->name));
      }
    }
    return true;
  }

  // True when the raw key (the text after its opening quote, in a padded document) is `name`
  // written without escapes. Member names are plain identifiers, shorter than the padding, so
  // the comparison never reads past the document's buffer.
  static bool written_as(const char* raw, std::string_view name) noexcept {
    return name.size() < padding && std::memcmp(raw, name.data(), name.size()) == 0 &&
           raw[name.size()] == '"';
  }

  // The slot `matches` accepts, looked for from `hint` on, since services write members in a
  // fixed order: the slot after the last match is usually the next. Moves hint past the match.
  template <class Matches>
  static const member_slot* find_slot(const member_slot* slots, std::size_t n, std::size_t& hint,
                                      Matches matches) {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = hint + k < n ? hint + k : hint + k - n;
      if (matches(slots[i].name)) {
        hint = i + 1 < n ? i + 1 : 0;
        return &slots[i];
      }
    }
    return nullptr;
  }

  // Walks a value the client does not model, so malformed JSON there is still an error.
  IVSRT_NOINLINE bool skip(od::value v, int depth) {
    if (depth > max_skip_depth) return fail("JSON nested too deeply");
    od::json_type type;
    if (auto e = v.type().get(type); e != simdjson::SUCCESS) return fail(e);
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if (auto e = v.get_object().get(object); e != simdjson::SUCCESS) return fail(e);
        for (auto field : object) {
          std::string_view key;
          if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) return fail(e);
          od::value item;
          if (auto e = field.value().get(item); e != simdjson::SUCCESS) return fail(e);
          if (!skip(item, depth + 1)) return false;
        }
        return true;
      }
      case od::json_type::array: {
        od::array array;
        if (auto e = v.get_array().get(array); e != simdjson::SUCCESS) return fail(e);
        for (auto element : array) {
          od::value item;
          if (auto e = element.get(item); e != simdjson::SUCCESS) return fail(e);
          if (!skip(item, depth + 1)) return false;
        }
        return true;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s); e != simdjson::SUCCESS) return fail(e);
        return true;
      }
      case od::json_type::number: {
        od::number n;
        if (auto e = v.get_number().get(n); e != simdjson::SUCCESS) return fail(e);
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (auto e = v.get_bool().get(b); e != simdjson::SUCCESS) return fail(e);
        return true;
      }
      case od::json_type::null: {
        bool null = false;
        if (v.is_null().get(null) != simdjson::SUCCESS || !null) return fail("invalid literal");
        return true;
      }
    }
    return fail("invalid JSON value");
  }

  bool fail(std::string reason) {
    if (reason_.empty()) reason_ = std::move(reason);
    return false;
  }
  bool fail(simdjson::error_code e) {
    return fail(std::string("malformed JSON: ") + simdjson::error_message(e));
  }
  bool fail_at(std::string segment) {
    path_.push_back(std::move(segment));
    return false;
  }

  std::vector<std::string> path_;
  std::string reason_;
};

// The simdjson parser of the calling thread; it keeps its buffers between documents.
inline od::parser& thread_parser() {
  thread_local od::parser parser;
  return parser;
}

namespace detail {

// Parses the padded document and runs `read` on it; the non-template part of from_json.
IVSRT_NOINLINE inline result<void> parse_document(std::string_view text, std::size_t capacity, void* out,
                                                  bool (*read)(reader&, od::document&, void*)) {
  simdjson::padded_string copy;
  simdjson::padded_string_view view;
  if (capacity >= text.size() + padding) {
    view = simdjson::padded_string_view(text.data(), text.size(), capacity);
  } else {
    copy = simdjson::padded_string(text);
    view = copy;
  }
  od::document doc;
  if (auto e = thread_parser().iterate(view).get(doc); e != simdjson::SUCCESS) {
    return make_error(error_kind::parse, "MalformedJson",
                      std::string("malformed JSON: ") + simdjson::error_message(e));
  }
  reader r;
  if (!read(r, doc, out)) {
    std::string where = r.failure_path();
    return make_error(error_kind::parse, "InvalidResponse",
                      (where.empty() ? std::string() : where + ": ") + r.failure_reason());
  }
  return {};
}

template <class T>
bool read_document(reader& r, od::document& doc, void* out) {
  return r.document(doc, *static_cast<T*>(out));
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

}  // namespace ivsrt::json
