// The definition of command_slice (see registry.hpp), for the commands_N.cpp files.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "ivsrt/model/all_operations.hpp"
#include "operation_command.hpp"
#include "registry.hpp"

namespace ivsrt_cli {

namespace detail {
template <bool Mine, class Req>
void add_command(std::vector<command>& out) {
  if constexpr (Mine) out.push_back(make_command<Req>());
}

template <std::size_t Slice, class... Req, std::size_t... I>
void add_slice(std::vector<command>& out, ivsrt::type_list<Req...> /*unused*/,
               std::index_sequence<I...> /*unused*/) {
  (add_command<I % command_slices == Slice, Req>(out), ...);
}

template <class... Req>
constexpr std::size_t count(ivsrt::type_list<Req...> /*unused*/) {
  return sizeof...(Req);
}
}  // namespace detail

template <std::size_t Slice>
std::vector<command> command_slice() {
  std::vector<command> out;
  detail::add_slice<Slice>(out, ivsrt::all_operations{},
                           std::make_index_sequence<detail::count(ivsrt::all_operations{})>{});
  return out;
}

}  // namespace ivsrt_cli
