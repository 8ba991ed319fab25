// Comparisons for wire tests, written without the library's JSON writer or reader: JSON text
// against JSON text (key order aside), a model value against JSON that another implementation
// produced, and two model values member by member. Each returns the differences it found, with
// the member path, so a failure says where.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt_test {

namespace dom = simdjson::dom;

using differences = std::vector<std::string>;

inline std::string join(const differences& d) {
  std::string out;
  for (const auto& s : d) out += s + "\n";
  return out;
}

inline std::string at(const std::string& path) {
  return path.empty() ? std::string("(top)") : path;
}

// Compares two JSON values; numbers compare by value (2 == 2.0), objects regardless of key order.
inline void json_compare(dom::element a, dom::element b, const std::string& path, differences& out) {
  const dom::element_type ta = a.type();
  const dom::element_type tb = b.type();
  const bool a_number =
      ta == dom::element_type::INT64 || ta == dom::element_type::UINT64 || ta == dom::element_type::DOUBLE;
  const bool b_number =
      tb == dom::element_type::INT64 || tb == dom::element_type::UINT64 || tb == dom::element_type::DOUBLE;
  if (a_number && b_number) {
    if (a.get_double().value_unsafe() != b.get_double().value_unsafe())
      out.push_back(at(path) + ": numbers differ");
    return;
  }
  if (ta != tb) {
    out.push_back(at(path) + ": different JSON types");
    return;
  }
  switch (ta) {
    case dom::element_type::STRING:
      if (a.get_string().value_unsafe() != b.get_string().value_unsafe()) {
        out.push_back(at(path) + ": \"" + std::string(a.get_string().value_unsafe()) + "\" vs \"" +
                      std::string(b.get_string().value_unsafe()) + "\"");
      }
      return;
    case dom::element_type::BOOL:
      if (a.get_bool().value_unsafe() != b.get_bool().value_unsafe())
        out.push_back(at(path) + ": booleans differ");
      return;
    case dom::element_type::NULL_VALUE: return;
    case dom::element_type::ARRAY: {
      dom::array x = a.get_array().value_unsafe();
      dom::array y = b.get_array().value_unsafe();
      if (x.size() != y.size()) {
        out.push_back(at(path) + ": arrays of " + std::to_string(x.size()) + " and " +
                      std::to_string(y.size()));
        return;
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        json_compare(x.at(i).value_unsafe(), y.at(i).value_unsafe(), path + "[" + std::to_string(i) + "]",
                     out);
      }
      return;
    }
    case dom::element_type::OBJECT: {
      dom::object x = a.get_object().value_unsafe();
      dom::object y = b.get_object().value_unsafe();
      for (auto [key, value] : x) {
        dom::element other;
        if (y.at_key(key).get(other) != simdjson::SUCCESS) {
          out.push_back(at(path) + ": member \"" + std::string(key) + "\" only in the first");
          continue;
        }
        json_compare(value, other, path + "." + std::string(key), out);
      }
      for (auto [key, value] : y) {
        (void)value;
        dom::element other;
        if (x.at_key(key).get(other) != simdjson::SUCCESS) {
          out.push_back(at(path) + ": member \"" + std::string(key) + "\" only in the second");
        }
      }
      return;
    }
    default: out.push_back(at(path) + ": unexpected JSON type");
  }
}

// Differences between two JSON texts.
inline differences json_difference(std::string_view a, std::string_view b) {
  dom::parser pa;
  dom::parser pb;
  dom::element ea;
  dom::element eb;
  const simdjson::padded_string sa(a);
  const simdjson::padded_string sb(b);
  if (pa.parse(sa).get(ea) != simdjson::SUCCESS) return {"first text is not JSON"};
  if (pb.parse(sb).get(eb) != simdjson::SUCCESS) return {"second text is not JSON"};
  differences d;
  json_compare(ea, eb, "", d);
  return d;
}

// Compares a model value with the JSON form another implementation gave it (botocore's parsed
// output: timestamps as epoch seconds). Absent optionals must be absent; every JSON member must
// be a member of the C++ type.
template <class V>
void compare_with_json(const V& v, dom::element e, const std::string& path, differences& out) {
  namespace kinds = ivsrt::kinds;
  auto mismatch = [&](const std::string& what) { out.push_back(at(path) + ": " + what); };
  if constexpr (kinds::optional<V>) {
    if (!v.has_value()) {
      mismatch("absent in ivsrt, present in the JSON");
      return;
    }
    compare_with_json(*v, e, path, out);
  } else if constexpr (kinds::string<V> || kinds::secret<V> || kinds::enumeration<V>) {
    std::string_view expected;
    if (e.get_string().get(expected) != simdjson::SUCCESS) return mismatch("JSON is not a string");
    std::string_view actual;
    if constexpr (kinds::string<V>) {
      actual = v;
    } else if constexpr (kinds::secret<V>) {
      actual = v.reveal();
    } else {
      actual = v.str();
    }
    if (actual != expected) mismatch("\"" + std::string(actual) + "\" vs \"" + std::string(expected) + "\"");
  } else if constexpr (kinds::boolean<V>) {
    bool expected = false;
    if (e.get_bool().get(expected) != simdjson::SUCCESS) return mismatch("JSON is not a boolean");
    if (v != expected) mismatch("booleans differ");
  } else if constexpr (kinds::integer<V>) {
    std::int64_t expected = 0;
    if (e.get_int64().get(expected) != simdjson::SUCCESS) return mismatch("JSON is not an integer");
    if (static_cast<std::int64_t>(v) != expected) {
      mismatch(std::to_string(v) + " vs " + std::to_string(expected));
    }
  } else if constexpr (kinds::floating<V>) {
    double expected = 0;
    if (e.get_double().get(expected) != simdjson::SUCCESS) return mismatch("JSON is not a number");
    if (static_cast<double>(v) != expected) mismatch(std::to_string(v) + " vs " + std::to_string(expected));
  } else if constexpr (kinds::time_point<V>) {
    double seconds = 0;
    if (e.get_double().get(seconds) != simdjson::SUCCESS) return mismatch("JSON is not epoch seconds");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(v.time_since_epoch()).count();
    if (ms != std::llround(seconds * 1000)) mismatch("timestamps differ");
  } else if constexpr (kinds::list<V>) {
    dom::array array;
    if (e.get_array().get(array) != simdjson::SUCCESS) return mismatch("JSON is not an array");
    if (array.size() != v.size()) {
      return mismatch(std::to_string(v.size()) + " items vs " + std::to_string(array.size()));
    }
    std::size_t i = 0;
    for (dom::element item : array) {
      compare_with_json(v[i], item, path + "[" + std::to_string(i) + "]", out);
      ++i;
    }
  } else if constexpr (kinds::map<V>) {
    dom::object object;
    if (e.get_object().get(object) != simdjson::SUCCESS) return mismatch("JSON is not an object");
    if (object.size() != v.size()) {
      return mismatch(std::to_string(v.size()) + " entries vs " + std::to_string(object.size()));
    }
    for (auto [key, item] : object) {
      auto it = v.find(std::string(key));
      if (it == v.end()) {
        mismatch("no entry \"" + std::string(key) + "\"");
        continue;
      }
      compare_with_json(it->second, item, path + "." + std::string(key), out);
    }
  } else if constexpr (kinds::structure<V>) {
    dom::object object;
    if (e.get_object().get(object) != simdjson::SUCCESS) return mismatch("JSON is not an object");
    ivsrt::reflect::for_each_member(v, [&](auto index, const auto& member) {
      constexpr std::string_view name = ivsrt::reflect::wire_names<V>[decltype(index)::value];
      const std::string sub = path.empty() ? std::string(name) : path + "." + std::string(name);
      dom::element item;
      if (object.at_key(name).get(item) != simdjson::SUCCESS) {
        if constexpr (kinds::optional<std::remove_cvref_t<decltype(member)>>) {
          if (member.has_value()) out.push_back(sub + ": present in ivsrt, absent in the JSON");
        }
        return;
      }
      compare_with_json(member, item, sub, out);
    });
    constexpr auto names = ivsrt::reflect::wire_names<V>;
    for (auto [key, item] : object) {
      (void)item;
      bool known = false;
      for (auto n : names) known = known || n == key;
      if (!known) mismatch("the JSON has member \"" + std::string(key) + "\", the C++ type does not");
    }
  } else {
    static_assert(sizeof(V) == 0, "compare_with_json: unsupported member type");
  }
}

template <class T>
differences compare_with_json(const T& v, dom::element e) {
  differences d;
  compare_with_json(v, e, "", d);
  return d;
}

// Compares two model values member by member.
template <class V>
void compare_values(const V& a, const V& b, const std::string& path, differences& out) {
  namespace kinds = ivsrt::kinds;
  if constexpr (kinds::optional<V>) {
    if (a.has_value() != b.has_value()) {
      out.push_back(at(path) + ": set in one, absent in the other");
    } else if (a.has_value()) {
      compare_values(*a, *b, path, out);
    }
  } else if constexpr (kinds::list<V>) {
    if (a.size() != b.size()) {
      out.push_back(at(path) + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
                    " items");
      return;
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      compare_values(a[i], b[i], path + "[" + std::to_string(i) + "]", out);
  } else if constexpr (kinds::map<V>) {
    if (a.size() != b.size()) {
      out.push_back(at(path) + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
                    " entries");
      return;
    }
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia->first != ib->first) {
        out.push_back(at(path) + ": keys \"" + ia->first + "\" vs \"" + ib->first + "\"");
        return;
      }
      compare_values(ia->second, ib->second, path + "." + ia->first, out);
    }
  } else if constexpr (kinds::structure<V>) {
    ivsrt::reflect::for_each_member(a, [&](auto index, const auto& member) {
      constexpr std::size_t i = decltype(index)::value;
      constexpr std::string_view name = ivsrt::reflect::wire_names<V>[i];
      compare_values(member, ivsrt::reflect::get_member<i>(b),
                     path.empty() ? std::string(name) : path + "." + std::string(name), out);
    });
  } else {
    if (!(a == b)) out.push_back(at(path) + ": values differ");
  }
}

template <class T>
differences compare_values(const T& a, const T& b) {
  differences d;
  compare_values(a, b, "", d);
  return d;
}

}  // namespace ivsrt_test
