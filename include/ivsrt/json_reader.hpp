// JSON -> reflected struct, with simdjson On-Demand. Unknown members are skipped (after checking
// they are well-formed JSON), null means absent, and a failure names the member path.
#pragma once

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt::json {

namespace od = simdjson::ondemand;

// Extra capacity simdjson needs after the last byte of a document.
inline constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

// Deeper nesting than this in members the client skips is refused.
inline constexpr int max_skip_depth = 64;

class reader {
 public:
  template <class T>
  bool value(od::value v, T& out) {
    if constexpr (kinds::optional<T>) {
      bool is_null = false;
      if (v.is_null().get(is_null) != simdjson::SUCCESS) return fail_simdjson();
      if (is_null) {
        out.reset();
        return true;
      }
      out.emplace();
      return value(v, *out);
    } else {
      bool is_null = false;
      if (v.is_null().get(is_null) != simdjson::SUCCESS) return fail_simdjson();
      if (is_null) return true;  // null means absent: keep the default
      return present(v, out);
    }
  }

  // Reads a struct from the document's root object.
  template <class T>
  bool document(od::document& doc, T& out) {
    od::object root;
    if (auto e = doc.get_object().get(root); e != simdjson::SUCCESS) {
      return fail(e == simdjson::INCORRECT_TYPE ? std::string("expected a JSON object")
                                                : std::string("malformed JSON: ") + simdjson::error_message(e));
    }
    if (!fields(root, out)) return false;
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      return fail("unexpected data after the JSON document");
    }
    return true;
  }

  [[nodiscard]] std::string failure_path() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) path += *it;
    return !path.empty() && path[0] == '.' ? path.substr(1) : path;
  }
  [[nodiscard]] const std::string& failure_reason() const { return reason_; }

 private:
  template <class T>
  bool present(od::value v, T& out) {
    if constexpr (kinds::boolean<T>) {
      if (v.get_bool().get(out) != simdjson::SUCCESS) return fail("expected a boolean");
      return true;
    } else if constexpr (kinds::integer<T>) {
      std::int64_t n = 0;
      if (v.get_int64().get(n) != simdjson::SUCCESS) return fail("expected an integer");
      static_assert(std::is_signed_v<T>, "the model has signed integers only");
      if (n < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
          n > static_cast<std::int64_t>(std::numeric_limits<T>::max())) {
        return fail("integer out of range for " + std::to_string(sizeof(T) * 8) + "-bit member");
      }
      out = static_cast<T>(n);
      return true;
    } else if constexpr (kinds::floating<T>) {
      return floating(v, out);
    } else if constexpr (kinds::string<T>) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a string");
      out.assign(s.data(), s.size());
      return true;
    } else if constexpr (kinds::secret<T>) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a string");
      out = sensitive_string(s);
      return true;
    } else if constexpr (kinds::enumeration<T>) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a string");
      out = T::from_string(s);
      return true;
    } else if constexpr (kinds::time_point<T>) {
      return time(v, out);
    } else if constexpr (kinds::list<T>) {
      od::array array;
      if (v.get_array().get(array) != simdjson::SUCCESS) return fail("expected an array");
      out.clear();
      std::size_t i = 0;
      for (auto element : array) {
        od::value item;
        if (auto e = element.get(item); e != simdjson::SUCCESS) return fail(e);
        bool is_null = false;
        if (item.is_null().get(is_null) != simdjson::SUCCESS) return fail_simdjson();
        if (!is_null) {
          out.emplace_back();
          if (!present(item, out.back())) return fail_at("[" + std::to_string(i) + "]");
        }
        ++i;
      }
      return true;
    } else if constexpr (kinds::map<T>) {
      od::object object;
      if (v.get_object().get(object) != simdjson::SUCCESS) return fail("expected an object");
      out.clear();
      for (auto field : object) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) return fail(e);
        std::string k(key);
        od::value item;
        if (auto e = field.value().get(item); e != simdjson::SUCCESS) return fail(e);
        typename T::mapped_type parsed{};
        bool is_null = false;
        if (item.is_null().get(is_null) != simdjson::SUCCESS) return fail_simdjson();
        if (is_null) continue;
        if (!present(item, parsed)) return fail_at("." + k);
        out.insert_or_assign(std::move(k), std::move(parsed));
      }
      return true;
    } else if constexpr (kinds::structure<T>) {
      return structure(v, out);
    } else {
      static_assert(sizeof(T) == 0, "ivsrt::json::reader: unsupported member type");
    }
  }

  template <class T>
  bool structure(od::value v, T& out) {
    od::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) return fail("expected an object");
    return fields(object, out);
  }

  template <class T>
  bool fields(od::object& object, T& out) {
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e != simdjson::SUCCESS) return fail(e);
      od::value item;
      if (auto e = field.value().get(item); e != simdjson::SUCCESS) return fail(e);
      bool matched = false;
      bool ok = true;
      reflect::for_each_member(out, [&](auto index, auto& member) {
        constexpr std::string_view name = reflect::wire_names<T>[decltype(index)::value];
        if (matched || key != name) return;
        matched = true;
        if (!value(item, member)) ok = fail_at("." + std::string(name));
      });
      if (!ok) return false;
      if (!matched && !skip(item, 0)) return fail_at("." + std::string(key));
    }
    return true;
  }

  template <class F>
  bool floating(od::value v, F& out) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return fail_simdjson();
    if (type == od::json_type::string) {
      // Smithy sends non-finite numbers as strings.
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a number");
      if (s == "NaN") out = std::numeric_limits<F>::quiet_NaN();
      else if (s == "Infinity") out = std::numeric_limits<F>::infinity();
      else if (s == "-Infinity") out = -std::numeric_limits<F>::infinity();
      else return fail("expected a number");
      return true;
    }
    double d = 0;
    if (v.get_double().get(d) != simdjson::SUCCESS) return fail("expected a number");
    if (std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<F>::max())) {
      return fail("number out of range");
    }
    out = static_cast<F>(d);
    return true;
  }

  bool time(od::value v, timestamp& out) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return fail_simdjson();
    if (type == od::json_type::number) {
      // Epoch seconds, the other timestamp form Smithy protocols use.
      double secs = 0;
      if (v.get_double().get(secs) != simdjson::SUCCESS || !std::isfinite(secs) ||
          std::fabs(secs) > 1e11) {
        return fail("expected a timestamp");
      }
      out = timestamp(std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(secs * 1e9))));
      return true;
    }
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return fail("expected a timestamp string");
    auto t = parse_timestamp(s);
    if (!t) return fail("not an ISO 8601 date-time");
    out = *t;
    return true;
  }

  // Walks a value the client does not model, so malformed JSON there is still an error.
  bool skip(od::value v, int depth) {
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
        bool is_null = false;
        if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return fail("invalid literal");
        return true;
      }
    }
    return fail("invalid JSON value");
  }

  bool fail(std::string reason) {
    if (reason_.empty()) reason_ = std::move(reason);
    return false;
  }
  bool fail(simdjson::error_code e) { return fail(std::string("malformed JSON: ") + simdjson::error_message(e)); }
  bool fail_simdjson() { return fail("malformed JSON"); }
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

// Parses `text` into out. `capacity` is the size of the buffer behind text; when it is smaller
// than text.size() + padding the text is copied into a padded buffer first.
template <class T>
result<void> from_json(std::string_view text, std::size_t capacity, T& out) {
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
  if (!r.document(doc, out)) {
    std::string where = r.failure_path();
    return make_error(error_kind::parse, "InvalidResponse",
                      (where.empty() ? std::string() : where + ": ") + r.failure_reason());
  }
  return {};
}

template <class T>
result<void> from_json(std::string_view text, T& out) {
  return from_json(text, 0, out);
}

}  // namespace ivsrt::json
