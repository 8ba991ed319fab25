// Client-side validation of a request against the model's constraints, before anything is sent:
// lengths (in Unicode code points), list and map sizes, numeric ranges and enum values. Smithy
// `pattern` traits are deliberately not checked: they are unanchored searches the service applies
// itself, and at least one in this model (ResourceArn's) would reject every real ARN if taken
// literally, so checking them could only refuse requests the service accepts.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/utf8.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt::validation {

namespace detail {

template <class T>
consteval std::size_t limit_index(std::string_view member) {
  const auto& all = constraints<T>::members;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].member == member) return i;
  }
  return all.size();
}

inline constexpr limit no_limit{};

template <class T, std::size_t I>
constexpr const limit& limit_of() {
  if constexpr (I < constraints<T>::members.size()) {
    return constraints<T>::members[I];
  } else {
    return no_limit;
  }
}

inline std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

class checker {
 public:
  std::vector<std::string> problems;

  template <class T>
  void structure(const T& v, const std::string& path) {
    reflect::for_each_member(v, [&](auto index, const auto& member) {
      constexpr std::size_t i = decltype(index)::value;
      constexpr std::string_view name = reflect::wire_names<T>[i];
      const limit& lim = limit_of<T, limit_index<T>(reflect::member_names<T>[i])>();
      value(member, path.empty() ? std::string(name) : path + "." + std::string(name), lim.min,
            lim.max, lim);
    });
  }

 private:
  template <class V>
  void value(const V& v, const std::string& path, double min, double max, const limit& lim) {
    if constexpr (kinds::optional<V>) {
      if (v.has_value()) value(*v, path, min, max, lim);
    } else if constexpr (kinds::string<V> || kinds::secret<V>) {
      std::string_view s;
      if constexpr (kinds::secret<V>) {
        s = v.reveal();
      } else {
        s = v;
      }
      if (!utf8::valid(s)) {
        problems.push_back(path + ": not valid UTF-8");
        return;
      }
      length(static_cast<double>(utf8::code_points(s)), path, min, max, "characters");
    } else if constexpr (kinds::integer<V> || kinds::floating<V>) {
      const auto d = static_cast<double>(v);
      if (std::isnan(d) || d < min || d > max) {
        problems.push_back(path + ": " + number_text(d) + " is outside the allowed range " +
                           range_text(min, max));
      }
    } else if constexpr (kinds::enumeration<V>) {
      if (!v.known()) {
        std::string allowed;
        for (auto s : enum_strings(typename V::enum_type{})) {
          allowed += allowed.empty() ? "" : ", ";
          allowed += s;
        }
        problems.push_back(path + ": \"" + std::string(v.str()) + "\" is not one of " + allowed);
      }
    } else if constexpr (kinds::list<V>) {
      length(static_cast<double>(v.size()), path, min, max, "items");
      for (std::size_t i = 0; i < v.size(); ++i) {
        value(v[i], path + "[" + std::to_string(i) + "]", lim.item_min, lim.item_max, no_limit);
      }
    } else if constexpr (kinds::map<V>) {
      length(static_cast<double>(v.size()), path, min, max, "entries");
      for (const auto& [key, item] : v) {
        value(key, path + " key \"" + key + "\"", lim.key_min, lim.key_max, no_limit);
        value(item, path + "." + key, lim.item_min, lim.item_max, no_limit);
      }
    } else if constexpr (kinds::structure<V>) {
      structure(v, path);
    }
  }

  void length(double n, const std::string& path, double min, double max, const char* unit) {
    if (n < min) {
      problems.push_back(path + ": " + number_text(n) + " " + unit + ", fewer than the minimum of " +
                         number_text(min));
    } else if (n > max) {
      problems.push_back(path + ": " + number_text(n) + " " + unit + ", more than the maximum of " +
                         number_text(max));
    }
  }

  static std::string range_text(double min, double max) {
    const std::string lo = std::isinf(min) ? std::string() : number_text(min);
    const std::string hi = std::isinf(max) ? std::string() : number_text(max);
    return lo + ".." + hi;
  }
};

}  // namespace detail

// Checks every constraint of request; the error lists each violation with its member path,
// e.g. "participantTokenConfigurations[1].duration: 0 is outside the allowed range 1..20160".
template <class T>
result<void> check(const T& request) {
  detail::checker c;
  c.structure(request, "");
  if (c.problems.empty()) return {};
  std::string message;
  for (const auto& p : c.problems) {
    message += message.empty() ? "" : "; ";
    message += p;
  }
  return make_error(error_kind::validation, "InvalidParameter", std::move(message));
}

}  // namespace ivsrt::validation
