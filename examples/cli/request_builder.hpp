// The request of a command: --cli-input-json first, then the member flags over it (a flag
// replaces the whole member), both read with the library's JSON reader so that a type error
// names the member.
#pragma once

#include <string>
#include <vector>

#include "command_args.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/reflect.hpp"
#include "json_text.hpp"
#include "member_flags.hpp"

namespace ivsrt_cli {

namespace detail {

inline ivsrt::error invalid_input(std::string message) {
  return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidInput", std::move(message));
}

std::string join_lines(const std::vector<std::string>& lines);

// Reads json into out after checking it; `heading` introduces the problems found.
template <class T>
ivsrt::result<void> read_json(const std::string& json, const char* heading, T& out,
                              std::vector<std::string>& present) {
  const auto problems = check_input_json<T>(json, present);
  if (!problems.empty()) return invalid_input(heading + join_lines(problems));
  auto r = ivsrt::json::from_json(json, out);
  if (!r) return invalid_input(heading + r.error().message);
  return {};
}

ivsrt::result<void> check_required(const std::vector<member_flag>& flags, const command_input& in,
                                   const std::vector<std::string>& present_in_input);

}  // namespace detail

template <class Req>
ivsrt::result<Req> build_request(const command_input& in, const std::vector<member_flag>& flags) {
  Req req{};
  std::vector<std::string> from_input;
  if (in.cli_input_json) {
    auto r = detail::read_json(*in.cli_input_json, "Invalid --cli-input-json:\n", req, from_input);
    if (!r) return r.error();
  }
  auto required = detail::check_required(flags, in, from_input);
  if (!required) return required.error();
  Req from_flags{};
  std::vector<std::string> ignored;
  auto r = detail::read_json(in.flags_json, "Parameter validation failed:\n", from_flags, ignored);
  if (!r) return r.error();
  ivsrt::reflect::for_each_member(req, [&](auto index, auto& member) {
    if (in.given[index]) member = std::move(ivsrt::reflect::get_member<decltype(index)::value>(from_flags));
  });
  return req;
}

}  // namespace ivsrt_cli
