// Client-side validation of a request against the model's constraints, before anything is sent:
// lengths (in Unicode code points), list and map sizes, numeric ranges and enum values.
//
// Required members are plain values, so they are always on the wire; the one way to leave one
// unset is a default-constructed enum, which is refused. A client sends an enum value it does not
// know (built with open_enum::from_string), as every AWS SDK does, since the service may have added
// it after this client was built; the local service, which implements this model, refuses it. An empty
// required string is sent as it is: where the model gives no minimum length the service accepts "" as
// present.
//
// Smithy `pattern` traits are deliberately not checked: they are unanchored searches the service
// applies itself, half of this model's match every string when unanchored, the ARN patterns spell
// out the `aws` partition only, and ResourceArn's would reject every real ARN if taken literally,
// so checking them could only refuse requests the service accepts.
#pragma once

#include <array>
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

// Whether an enum value this client does not know passes the check.
enum class unknown_enums { send, refuse };

namespace detail {

inline constexpr limit no_limit{};

inline std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

// Where a value sits in the request. Nodes live on the stack while the walk descends; the text of
// a path is built only when something is wrong, so a valid request costs no allocations.
struct path_node {
  const path_node* parent = nullptr;
  std::string_view member{};         // ".member"
  std::size_t index = 0;             // "[index]" when member is empty and key is null
  const std::string* key = nullptr;  // ".key" of a map value, or the map key itself
  bool is_key = false;               // " key \"k\"": the map key rather than its value

  [[nodiscard]] std::string text() const {
    std::string head = parent != nullptr ? parent->text() : std::string();
    if (!member.empty()) return head.empty() ? std::string(member) : head + "." + std::string(member);
    if (key != nullptr) {
      head += is_key ? " key \"" : ".";
      utf8::append_escaped(head, *key);
      if (is_key) head += '"';
      return head;
    }
    return head + "[" + std::to_string(index) + "]";
  }
};

class checker {
 public:
  explicit checker(unknown_enums unknown) noexcept : unknown_(unknown) {}

  std::vector<std::string> problems;

  template <class T>
  void structure(const T& v, const path_node* path) {
    const auto& slots = table<T>();
    fields(&v, slots.data(), slots.size(), path);
  }

 private:
  using check_function = void (*)(checker&, const void*, const path_node&, const limit&);

  struct member_slot {
    std::string_view name;
    std::size_t offset;
    check_function check;
    const limit* lim;
  };

  template <class M>
  static void check_member(checker& c, const void* member, const path_node& path, const limit& lim) {
    c.value(*static_cast<const M*>(member), path, lim.min, lim.max, lim);
  }

  // The member table of T, built once: wire names, offsets, one checker per member type, limits.
  template <class T>
  static const std::array<member_slot, reflect::member_count<T>>& table() {
    static const auto slots = [] {
      auto out = reflect::member_table<T, member_slot>(
          []<class M>(reflect::types<M>, std::string_view name, std::size_t offset) {
            return member_slot{name, offset, &check_member<M>, &no_limit};
          });
      for (const limit& l : constraints<T>::members) {
        out[reflect::member_index<T>(l.member)].lim = &l;
      }
      return out;
    }();
    return slots;
  }

  void fields(const void* object, const member_slot* slots, std::size_t n, const path_node* path) {
    for (std::size_t i = 0; i < n; ++i) {
      const member_slot& slot = slots[i];
      const path_node here{.parent = path, .member = slot.name};
      slot.check(*this, static_cast<const unsigned char*>(object) + slot.offset, here, *slot.lim);
    }
  }

  template <class V>
  void value(const V& v, const path_node& path, double min, double max, const limit& lim) {
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
        problems.push_back(path.text() + ": not valid UTF-8");
        return;
      }
      length(static_cast<double>(utf8::code_points(s)), path, min, max, "characters");
    } else if constexpr (kinds::integer<V> || kinds::floating<V>) {
      const auto d = static_cast<double>(v);
      if (std::isnan(d) || d < min || d > max) {
        problems.push_back(path.text() + ": " + number_text(d) + " is outside the allowed range " +
                           range_text(min, max));
      }
    } else if constexpr (kinds::enumeration<V>) {
      static constexpr auto strings = enum_strings(typename V::enum_type{});
      if (v.known() && v.str().empty()) {
        // An enumerator cast from a number the enum has no name for: it would go out as "".
        unknown_enum(path, "the enumerator value " + std::to_string(static_cast<long long>(v.value())),
                     strings.data(), strings.size());
      } else if (!v.known() && (!v.is_set() || unknown_ == unknown_enums::refuse)) {
        std::string found;
        if (v.is_set()) {
          found += '"';
          utf8::append_escaped(found, v.str());
          found += '"';
        }
        unknown_enum(path, found, strings.data(), strings.size());
      }
    } else if constexpr (kinds::list<V>) {
      length(static_cast<double>(v.size()), path, min, max, "items");
      for (std::size_t i = 0; i < v.size(); ++i) {
        value(v[i], path_node{.parent = &path, .index = i}, lim.item_min, lim.item_max, no_limit);
      }
    } else if constexpr (kinds::map<V>) {
      length(static_cast<double>(v.size()), path, min, max, "entries");
      for (const auto& [key, item] : v) {
        value(key, path_node{.parent = &path, .key = &key, .is_key = true}, lim.key_min, lim.key_max,
              no_limit);
        value(item, path_node{.parent = &path, .key = &key}, lim.item_min, lim.item_max, no_limit);
      }
    } else if constexpr (kinds::structure<V>) {
      structure(v, &path);
    }
  }

  // An enum that holds no known enumerator: unset (`found` empty), or what it holds instead.
  void unknown_enum(const path_node& path, const std::string& found, const std::string_view* strings,
                    std::size_t n) {
    std::string allowed;
    for (std::size_t i = 0; i < n; ++i) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += strings[i];
    }
    problems.push_back(path.text() + (found.empty() ? ": not set (must be one of " + allowed + ")"
                                                    : ": " + found + " is not one of " + allowed));
  }

  void length(double n, const path_node& path, double min, double max, const char* unit) {
    if (n < min) {
      problems.push_back(path.text() + ": " + number_text(n) + " " + unit + ", fewer than the minimum of " +
                         number_text(min));
    } else if (n > max) {
      problems.push_back(path.text() + ": " + number_text(n) + " " + unit + ", more than the maximum of " +
                         number_text(max));
    }
  }

  unknown_enums unknown_;

  static std::string range_text(double min, double max) {
    const std::string lo = std::isinf(min) ? std::string() : number_text(min);
    const std::string hi = std::isinf(max) ? std::string() : number_text(max);
    return lo + ".." + hi;
  }
};

}  // namespace detail

namespace detail {

template <class T>
void walk(checker& c, const void* request) {
  c.structure(*static_cast<const T*>(request), nullptr);
}

// The part of check that does not depend on the type: walks the request at `request`.
inline result<void> check(const void* request, void (*walk)(checker&, const void*), unknown_enums unknown) {
  checker c(unknown);
  walk(c, request);
  if (c.problems.empty()) return {};
  std::string message;
  for (const auto& p : c.problems) {
    message += message.empty() ? "" : "; ";
    message += p;
  }
  return make_error(error_kind::validation, "InvalidParameter", std::move(message));
}

}  // namespace detail

// Checks every constraint of request; the error lists each violation with its member path,
// e.g. "participantTokenConfigurations[1].duration: 0 is outside the allowed range 1..20160".
template <class T>
result<void> check(const T& request, unknown_enums unknown = unknown_enums::send) {
  return detail::check(&request, &detail::walk<T>, unknown);
}

}  // namespace ivsrt::validation
