// Every length limit of every request's own members, at and one past the limit: strings are
// counted in code points (filled with 2- and 4-byte UTF-8 characters), lists and maps in items.
// At the limit no "more than the maximum" problem may be reported; one past it must be, naming
// the member.
#include <string>
#include <string_view>
#include <type_traits>

#include "catch.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/validate.hpp"

using namespace ivsrt;

namespace {

// n code points of alternating 2- and 4-byte characters.
std::string text(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i % 2 == 0 ? "\xc3\xa9" : "\xf0\x9f\x8e\xa5";
  return out;
}

// Concept conjunctions stop at the first unsatisfied part, so these are safe on any type.
template <class V>
concept string_list = kinds::list<V> && kinds::string<typename V::value_type>;
template <class V>
concept string_map = kinds::map<V> && kinds::string<typename V::mapped_type>;

bool finite(double d) {
  return d >= 0 && d < 1e6;
}

std::string validation_text(const result<void>& r) {
  return r.ok() ? std::string() : r.error().message;
}

struct counts {
  int strings = 0;
  int lists = 0;
  int items = 0;
  int maps = 0;
};

// Sets member `name` of req with `fill`, which is called with the member itself.
template <class Req, class F>
void with_member(Req& req, std::string_view name, F&& fill) {
  reflect::for_each_member(req, [&](auto index, auto& member) {
    if (reflect::member_names<Req>[decltype(index)::value] == name) fill(member);
  });
}

template <class M>
auto& value_of(M& m) {
  if constexpr (kinds::optional<M>) {
    if (!m.has_value()) m.emplace();
    return *m;
  } else {
    return m;
  }
}

// Checks one limit of Req at `at_limit` and `past_limit` sizes produced by `fill(member, size)`.
template <class Req, class F>
bool check_limit(const limit& l, double max, const std::string& unit, F&& fill) {
  const auto n = static_cast<std::size_t>(max);
  Req at{};
  bool applies = false;
  with_member(at, l.member, [&](auto& m) { applies = fill(m, n); });
  if (!applies) return false;
  INFO(operation<Req>::name << "." << l.member << " with " << n << " " << unit);
  REQUIRE(validation_text(validation::check(at)).find("more than the maximum") == std::string::npos);
  Req past{};
  with_member(past, l.member, [&](auto& m) { fill(m, n + 1); });
  const std::string problem = validation_text(validation::check(past));
  INFO(problem);
  REQUIRE(problem.find(std::string(l.member)) != std::string::npos);
  REQUIRE(problem.find(std::to_string(n + 1) + " " + unit + ", more than the maximum of " +
                       std::to_string(n)) != std::string::npos);
  return true;
}

template <class Req>
void check_request(counts& seen) {
  for (const limit& l : constraints<Req>::members) {
    if (finite(l.max)) {
      seen.strings += check_limit<Req>(l, l.max, "characters", [&](auto& m, std::size_t n) {
        using V = std::remove_cvref_t<decltype(value_of(m))>;
        if constexpr (kinds::string<V>) {
          value_of(m) = text(n);
          return true;
        } else {
          return false;
        }
      });
      seen.lists += check_limit<Req>(l, l.max, "items", [&](auto& m, std::size_t n) {
        using V = std::remove_cvref_t<decltype(value_of(m))>;
        if constexpr (string_list<V>) {
          value_of(m).assign(n, text(static_cast<std::size_t>(std::max(l.item_min, 1.0))));
          return true;
        } else {
          return false;
        }
      });
      seen.maps += check_limit<Req>(l, l.max, "entries", [&](auto& m, std::size_t n) {
        using V = std::remove_cvref_t<decltype(value_of(m))>;
        if constexpr (kinds::map<V>) {
          auto& map = value_of(m);
          map.clear();
          for (std::size_t i = 0; i < n; ++i) map.emplace("k" + std::to_string(i), typename V::mapped_type{});
          return true;
        } else {
          return false;
        }
      });
    }
    if (finite(l.item_max)) {
      seen.items += check_limit<Req>(l, l.item_max, "characters", [&](auto& m, std::size_t n) {
        using V = std::remove_cvref_t<decltype(value_of(m))>;
        if constexpr (string_list<V>) {
          value_of(m) = {text(n)};
          return true;
        } else if constexpr (string_map<V>) {
          value_of(m) = {{"k", text(n)}};
          return true;
        } else {
          return false;
        }
      });
    }
    if (finite(l.key_max)) {
      seen.items += check_limit<Req>(l, l.key_max, "characters", [&](auto& m, std::size_t n) {
        using V = std::remove_cvref_t<decltype(value_of(m))>;
        if constexpr (kinds::map<V>) {
          value_of(m) = {{text(n), typename V::mapped_type{}}};
          return true;
        } else {
          return false;
        }
      });
    }
  }
}

template <class... Req>
void check_all(type_list<Req...> /*unused*/, counts& seen) {
  (check_request<Req>(seen), ...);
}

}  // namespace

TEST_CASE("every length limit of every request, at and past the limit, in code points", "[validate][input]") {
  counts seen;
  check_all(all_operations{}, seen);
  // The model has dozens of bounded strings, and bounded lists, maps, keys and values.
  REQUIRE(seen.strings >= 40);
  REQUIRE(seen.lists >= 1);
  REQUIRE(seen.maps >= 5);
  REQUIRE(seen.items >= 10);
}
