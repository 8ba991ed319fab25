// A failed call's error read as the model's error type (model/errors.hpp): exceptionMessage and
// the headers the model binds, as the service sent them with the error.
#pragma once

#include <optional>
#include <type_traits>

#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/rest_json.hpp"

namespace ivsrt {

namespace detail {
template <class E, class List>
inline constexpr bool listed = false;
template <class E, class... Ts>
inline constexpr bool listed<E, type_list<Ts...>> = (std::is_same_v<E, Ts> || ...);
}  // namespace detail

// The service error `e` as E when its code names E, e.g.
//   if (auto missing = modeled_error<ResourceNotFoundException>(r.error())) ...
// nullopt for another code, another kind of error, or a body that is not E's JSON document.
template <class E>
requires detail::listed<E, all_errors> std::optional<E> modeled_error(const error& e) {
  if (e.kind != error_kind::service || e.code != reflect::short_type_name<E>) return std::nullopt;
  http::response resp;
  resp.header_text = e.response_headers;
  E out{};
  if (!e.response_body.empty() && !json::from_json(e.response_body, out)) return std::nullopt;
  rest_json::read_header_members(resp, out);
  return out;
}

}  // namespace ivsrt
