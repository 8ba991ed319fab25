// The one translation unit of a program built with IVSRT_SEPARATE_COMPILATION includes this
// header (after defining nothing else): it defines every non-template function the other
// translation units only declare. See ivsrt/detail/config.hpp.
#pragma once

#if !defined(IVSRT_SEPARATE_COMPILATION)
#error "ivsrt/impl/src.hpp is for builds that define IVSRT_SEPARATE_COMPILATION in every translation unit"
#endif

#include "ivsrt/impl/client.ipp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/rest_json.hpp"

namespace ivsrt::detail {

template <class List>
struct operation_tables_of;

template <class... Req>
struct operation_tables_of<type_list<Req...>> {
  static constexpr const rest_json::operation_table* tables[] = {&rest_json::table_for<Req>...};
};

// Not inline, so that this translation unit emits every operation's prepare and decode functions,
// which the others only declare (ivsrt/operation_table.hpp).
const rest_json::operation_table* const* all_operation_tables() noexcept {
  return operation_tables_of<all_operations>::tables;
}

}  // namespace ivsrt::detail
