// The flags of a request type, one per member, described by reflection.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"
#include "kebab_case.hpp"
#include "member_flag.hpp"

namespace ivsrt_cli {

namespace detail {

template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<ivsrt::optional<T>> {
  using type = T;
};
template <class T>
using unwrapped = typename unwrap_optional<T>::type;

template <class T>
constexpr value_kind kind_of() {
  namespace k = ivsrt::kinds;
  if constexpr (k::string<T> || k::secret<T>)
    return value_kind::string;
  else if constexpr (k::boolean<T>)
    return value_kind::boolean;
  else if constexpr (k::integer<T>)
    return value_kind::integer;
  else if constexpr (k::floating<T>)
    return value_kind::number;
  else if constexpr (k::enumeration<T>)
    return value_kind::enumeration;
  else if constexpr (k::time_point<T>)
    return value_kind::timestamp;
  else
    return value_kind::json;
}

template <class T>
constexpr bool scalar_list() {
  if constexpr (ivsrt::kinds::list<T>) {
    return kind_of<typename T::value_type>() != value_kind::json;
  } else {
    return false;
  }
}

// The syntax of a value of type T. Inside JSON (`quoted`), strings and enum values are quoted.
template <class T>
void append_syntax(std::string& out, int indent, bool quoted) {
  namespace k = ivsrt::kinds;
  const char* quote = quoted ? "\"" : "";
  if constexpr (k::optional<T>) {
    append_syntax<typename T::value_type>(out, indent, quoted);
  } else if constexpr (k::enumeration<T>) {
    bool first = true;
    for (std::string_view s : enum_strings(typename T::enum_type{})) {
      out += first ? "" : "|";
      out += quote;
      out += s;
      out += quote;
      first = false;
    }
  } else if constexpr (k::string<T> || k::secret<T> || k::time_point<T>) {
    out += quote;
    out += k::time_point<T> ? "timestamp" : "string";
    out += quote;
  } else if constexpr (k::boolean<T>) {
    out += "true|false";
  } else if constexpr (k::integer<T>) {
    out += "integer";
  } else if constexpr (k::floating<T>) {
    out += "float";
  } else if constexpr (k::list<T>) {
    out += "[";
    append_syntax<typename T::value_type>(out, indent, true);
    out += ", ...]";
  } else if constexpr (k::map<T>) {
    out += "{\"string\": ";
    append_syntax<typename T::mapped_type>(out, indent, true);
    out += ", ...}";
  } else {
    static_assert(k::structure<T>, "a member type the CLI cannot describe");
    out += "{";
    const T probe{};
    ivsrt::reflect::for_each_member(probe, [&](auto index, const auto& member) {
      out += index == 0 ? "\n" : ",\n";
      out.append(static_cast<std::size_t>(indent) + 2, ' ');
      out += '"';
      out += ivsrt::reflect::wire_names<T>[index];
      out += "\": ";
      append_syntax<std::remove_cvref_t<decltype(member)>>(out, indent + 2, true);
    });
    out += "\n";
    out.append(static_cast<std::size_t>(indent), ' ');
    out += "}";
  }
}

}  // namespace detail

// The syntax of a value of type T for help: "string", "A|B", or JSON with the member names
// and their types.
template <class T>
std::string type_syntax() {
  std::string out;
  detail::append_syntax<T>(out, 0, detail::kind_of<T>() == value_kind::json);
  return out;
}

template <class Req>
std::vector<member_flag> member_flags() {
  std::vector<member_flag> out;
  const Req probe{};
  ivsrt::reflect::for_each_member(probe, [&](auto index, const auto& member) {
    using M = std::remove_cvref_t<decltype(member)>;
    using V = detail::unwrapped<M>;
    member_flag f;
    f.wire_name = ivsrt::reflect::wire_names<Req>[index];
    f.flag = kebab_case(f.wire_name);
    f.required = !ivsrt::kinds::optional<M>;
    f.kind = detail::kind_of<V>();
    if constexpr (detail::scalar_list<V>()) {
      f.list = true;
      f.kind = detail::kind_of<typename V::value_type>();
      f.syntax = type_syntax<typename V::value_type>();
    } else {
      f.syntax = type_syntax<V>();
    }
    out.push_back(std::move(f));
  });
  return out;
}

}  // namespace ivsrt_cli
