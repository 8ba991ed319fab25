// Compile-time reflection of aggregates: member count, member names and member visitation,
// with no per-type code. Names come from the compiler's spelling of a pointer to a member of an
// object that is declared but never defined, so nothing is instantiated at run time.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ivsrt::reflect {

namespace detail {

#if defined(__clang__)
// Declared-only helpers below are never defined; for types in unnamed namespaces Clang would
// otherwise warn that an internal-linkage instantiation lacks a definition.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif
// Converts to anything; only ever named in unevaluated aggregate-initialisation probes.
struct any_member {
  template <class T>
  operator T() const noexcept;  // NOLINT(google-explicit-constructor): must convert implicitly
};
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

template <class T, std::size_t... I>
constexpr bool brace_constructible(std::index_sequence<I...> /*unused*/) {
  return requires {
    T{(void(I), any_member{})...};
  };
}

template <class T, std::size_t N = 0>
constexpr std::size_t count_members() {
  if constexpr (brace_constructible<T>(std::make_index_sequence<N + 1>{})) {
    return count_members<T, N + 1>();
  } else {
    return N;
  }
}

}  // namespace detail

// Number of members of aggregate T.
template <class T>
inline constexpr std::size_t member_count = detail::count_members<std::remove_cv_t<T>>();

// Calls fn(m0, m1, ...) with references to every member of obj, in declaration order.
template <class T, class F>
constexpr decltype(auto) visit_members(T& obj, F&& fn) {
  constexpr std::size_t N = member_count<std::remove_cv_t<T>>;
  if constexpr (N == 0) {
    return fn();
  } else if constexpr (N == 1) {
    auto& [m0] = obj;
    return fn(m0);
  } else if constexpr (N == 2) {
    auto& [m0, m1] = obj;
    return fn(m0, m1);
  } else if constexpr (N == 3) {
    auto& [m0, m1, m2] = obj;
    return fn(m0, m1, m2);
  } else if constexpr (N == 4) {
    auto& [m0, m1, m2, m3] = obj;
    return fn(m0, m1, m2, m3);
  } else if constexpr (N == 5) {
    auto& [m0, m1, m2, m3, m4] = obj;
    return fn(m0, m1, m2, m3, m4);
  } else if constexpr (N == 6) {
    auto& [m0, m1, m2, m3, m4, m5] = obj;
    return fn(m0, m1, m2, m3, m4, m5);
  } else if constexpr (N == 7) {
    auto& [m0, m1, m2, m3, m4, m5, m6] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6);
  } else if constexpr (N == 8) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7);
  } else if constexpr (N == 9) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8);
  } else if constexpr (N == 10) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9);
  } else if constexpr (N == 11) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10);
  } else if constexpr (N == 12) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11);
  } else if constexpr (N == 13) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12);
  } else if constexpr (N == 14) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13);
  } else if constexpr (N == 15) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14);
  } else if constexpr (N == 16) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
  } else if constexpr (N == 17) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16);
  } else if constexpr (N == 18) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17);
  } else if constexpr (N == 19) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18);
  } else if constexpr (N == 20) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19);
  } else if constexpr (N == 21) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20] =
        obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20);
  } else if constexpr (N == 22) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
           m21] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21);
  } else if constexpr (N == 23) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22);
  } else if constexpr (N == 24) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23);
  } else if constexpr (N == 25) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24);
  } else if constexpr (N == 26) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25);
  } else if constexpr (N == 27) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26);
  } else if constexpr (N == 28) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26, m27] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26, m27);
  } else if constexpr (N == 29) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26, m27, m28] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26, m27, m28);
  } else if constexpr (N == 30) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26, m27, m28, m29] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26, m27, m28, m29);
  } else if constexpr (N == 31) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26, m27, m28, m29, m30] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26, m27, m28, m29, m30);
  } else if constexpr (N == 32) {
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21,
           m22, m23, m24, m25, m26, m27, m28, m29, m30, m31] = obj;
    return fn(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
              m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31);
  } else {
    static_assert(N <= 32, "ivsrt::reflect supports aggregates of up to 32 members");
  }
}

namespace detail {

template <class T>
struct fake_holder {
  T value;
};

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif
// Declared, never defined: only its members' addresses are taken, at compile time.
template <class T>
extern const fake_holder<T> fake_object;

template <class M>
struct member_address {
  const M* ptr;
};

template <std::size_t I, class First, class... Rest>
constexpr auto& nth(First& first, Rest&... rest) {
  if constexpr (I == 0) {
    return first;
  } else {
    return nth<I - 1>(rest...);
  }
}

template <class T, std::size_t I>
consteval auto member_pointer() {
  return visit_members(fake_object<T>.value, [](const auto&... m) {
    using member = std::remove_cvref_t<decltype(nth<I>(m...))>;
    return member_address<member>{&nth<I>(m...)};
  });
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

template <auto Ptr>
consteval std::string_view pretty_function() {
  return __PRETTY_FUNCTION__;
}

constexpr bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// GCC spells "...value.T::name)}; ...]", Clang "...value.name}]": the name is the identifier
// just before the first "}" that closes the pointer's aggregate.
consteval std::string_view name_from_pretty(std::string_view pretty) {
  std::size_t end = pretty.find(")}");
  if (end == std::string_view::npos) {
    end = pretty.find("}]");
  }
  std::size_t begin = end;
  while (begin > 0 && is_identifier_char(pretty[begin - 1])) {
    --begin;
  }
  return pretty.substr(begin, end - begin);
}

template <class T, std::size_t I>
consteval std::string_view member_name_impl() {
  return name_from_pretty(pretty_function<member_pointer<T, I>()>());
}

// A compile-time string copied into storage of its own. Names are cut out of __PRETTY_FUNCTION__,
// which is hundreds of bytes per member; a view into it would keep all of it in the program.
template <std::size_t N>
struct fixed_string {
  char chars[N + 1]{};

  consteval explicit fixed_string(std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
      chars[i] = s[i];
    }
  }
  [[nodiscard]] constexpr std::string_view view() const { return {chars, N}; }
};

template <class T, std::size_t I>
inline constexpr auto member_name_storage =
    fixed_string<member_name_impl<T, I>().size()>(member_name_impl<T, I>());

template <class T, std::size_t... I>
consteval auto member_names_impl(std::index_sequence<I...> /*unused*/) {
  return std::array<std::string_view, sizeof...(I)>{member_name_storage<T, I>.view()...};
}

template <class T>
consteval std::string_view type_name_impl() {
  std::string_view p = __PRETTY_FUNCTION__;
#if defined(__clang__)
  std::string_view marker = "T = ";
#else
  std::string_view marker = "with T = ";
#endif
  std::size_t b = p.find(marker) + marker.size();
  std::size_t e = p.find_first_of(";]", b);
  return p.substr(b, e - b);
}

template <class T>
inline constexpr auto type_name_storage = fixed_string<type_name_impl<T>().size()>(type_name_impl<T>());

}  // namespace detail

// The C++ names of T's members, computed once per type.
template <class T>
inline constexpr auto member_names =
    detail::member_names_impl<T>(std::make_index_sequence<member_count<T>>{});

namespace detail {
template <class T>
consteval auto wire_names_impl() {
  auto names = member_names<T>;
  if constexpr (requires { T::wire_renames; }) {
    for (const auto& [from, to] : T::wire_renames) {
      for (auto& n : names) {
        if (n == from) {
          n = to;
        }
      }
    }
  }
  return names;
}
}  // namespace detail

// The names members carry on the wire: the C++ member names, except where T lists
// `static constexpr std::pair<std::string_view, std::string_view> wire_renames[]` (C++ name,
// wire name) for wire names that are not C++ identifiers, such as "detail-type".
template <class T>
inline constexpr auto wire_names = detail::wire_names_impl<T>();

// Fully qualified name of T as the compiler spells it (for diagnostics and model checks).
template <class T>
inline constexpr std::string_view type_name = detail::type_name_storage<T>.view();

// Unqualified name of T.
template <class T>
inline constexpr std::string_view short_type_name = [] {
  std::string_view n = type_name<T>;
  std::size_t colon = n.rfind("::");
  return colon == std::string_view::npos ? n : n.substr(colon + 2);
}();

// Index of the member called `name`, or member_count<T> when there is none.
template <class T>
constexpr std::size_t member_index(std::string_view name) {
  for (std::size_t i = 0; i < member_count<T>; ++i) {
    if (member_names<T>[i] == name) {
      return i;
    }
  }
  return member_count<T>;
}

template <class... M>
struct types {};

// types<M0, M1, ...>: the member types of T, without cv or reference.
template <class T>
using member_types = decltype(visit_members(
    std::declval<T&>(), [](auto&... m) { return types<std::remove_cvref_t<decltype(m)>...>{}; }));

// Byte offset of every member of T within a T, measured once on a value-initialised T. Lets
// table-driven code (the JSON reader and writer) reach members without per-member templates.
template <class T>
const std::array<std::size_t, member_count<T>>& member_offsets() {
  static const auto offsets = [] {
    std::array<std::size_t, member_count<T>> out{};
    const T probe{};
    const auto* base = reinterpret_cast<const unsigned char*>(&probe);
    std::size_t i = 0;
    visit_members(probe, [&](const auto&... m) {
      ((out[i++] = static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(&m) - base)), ...);
    });
    return out;
  }();
  return offsets;
}

// One Slot per member of T, in order: make(types<M>{}, wire name, byte offset) for a member of
// type M. The table-driven code (the JSON reader and writer, validation) builds its tables so.
template <class T, class Slot, class Make>
std::array<Slot, member_count<T>> member_table(Make make) {
  std::array<Slot, member_count<T>> out{};
  const auto& offsets = member_offsets<T>();
  [&]<class... M>(types<M...>) {
    std::size_t i = 0;
    ((out[i] = make(types<M>{}, wire_names<T>[i], offsets[i]), ++i), ...);
  }(member_types<T>{});
  return out;
}

// Reference to member I of obj.
template <std::size_t I, class T>
constexpr auto& get_member(T& obj) {
  return visit_members(
      obj, [](auto&... m) -> auto& { return detail::nth<I>(m...); });
}

// Calls fn(std::integral_constant<std::size_t, I>{}, member) for every member of obj.
template <class T, class F>
constexpr void for_each_member(T& obj, F&& fn) {
  visit_members(obj, [&](auto&... m) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (fn(std::integral_constant<std::size_t, I>{}, m), ...);
    }
    (std::make_index_sequence<sizeof...(m)>{});
  });
}

}  // namespace ivsrt::reflect
