// The local service's routing table: included by ivsrt/local/dispatch.hpp (header-only, the
// default) or, with IVSRT_SEPARATE_COMPILATION, compiled once through ivsrt/impl/local_src.hpp.
// Building the table instantiates every operation's request reader, handler and response writer,
// which is most of the local service's code.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "ivsrt/local/dispatch.hpp"
#include "ivsrt/model/all_operations.hpp"

namespace ivsrt::local {

namespace detail {

template <class... R>
constexpr std::array<route, sizeof...(R)> make_routes(type_list<R...> /*unused*/) {
  return {route{operation<R>::name, operation<R>::method, operation<R>::uri, &serve<R>}...};
}

inline constexpr auto routes = make_routes(all_operations{});

}  // namespace detail

IVSRT_DECL std::span<const route> all_routes() noexcept {
  return detail::routes;
}

IVSRT_DECL const route* find_route(std::string_view method, std::string_view path, uri_labels& labels) {
  for (const auto& r : detail::routes) {
    if (r.method == method && match_path(r.uri, path, labels)) return &r;
  }
  return nullptr;
}

}  // namespace ivsrt::local
