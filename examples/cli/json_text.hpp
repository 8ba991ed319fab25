// JSON given on the command line, checked with simdjson's DOM parser before anything reads it:
// one well-formed value (so a flag's JSON cannot spill into other members), and no member names
// the request type does not have (the AWS CLI rejects those too, and a typo would otherwise be
// dropped silently).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt_cli {

// "" when text is exactly one well-formed JSON value, else what is wrong.
std::string json_problem(std::string_view text);

namespace detail {

template <class T>
void unknown_members(const simdjson::dom::element& value, const std::string& path,
                     std::vector<std::string>& problems) {
  namespace k = ivsrt::kinds;
  if constexpr (k::optional<T>) {
    unknown_members<typename T::value_type>(value, path, problems);
  } else if constexpr (k::list<T>) {
    simdjson::dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return;  // the reader reports the type
    std::size_t i = 0;
    for (simdjson::dom::element item : array) {
      unknown_members<typename T::value_type>(item, path + "[" + std::to_string(i++) + "]", problems);
    }
  } else if constexpr (k::map<T>) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return;
    for (auto field : object) {
      unknown_members<typename T::mapped_type>(field.value, path + "." + std::string(field.key), problems);
    }
  } else if constexpr (k::structure<T>) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return;
    constexpr auto& names = ivsrt::reflect::wire_names<T>;
    for (auto field : object) {
      bool known = false;
      T probe{};
      ivsrt::reflect::for_each_member(probe, [&](auto index, const auto& member) {
        if (known || field.key != names[index]) return;
        known = true;
        const std::string inner =
            path.empty() ? std::string(names[index]) : path + "." + std::string(names[index]);
        unknown_members<std::remove_cvref_t<decltype(member)>>(field.value, inner, problems);
      });
      if (known) continue;
      std::string allowed;
      for (std::string_view n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
      problems.push_back("Unknown parameter in " + (path.empty() ? std::string("input") : path) + ": \"" +
                         std::string(field.key) + "\", must be one of: " + allowed);
    }
  }
}

}  // namespace detail

// Problems with `json` as input for T: malformed JSON, not an object, or member names T lacks.
// `present` receives the top-level members with a non-null value.
template <class T>
std::vector<std::string> check_input_json(std::string_view json, std::vector<std::string>& present) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(json.data(), json.size()).get(root); e != simdjson::SUCCESS) {
    return {std::string("Invalid JSON: ") + simdjson::error_message(e)};
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return {"expected a JSON object"};
  for (auto field : object) {
    if (!field.value.is_null()) present.emplace_back(field.key);
  }
  std::vector<std::string> problems;
  detail::unknown_members<T>(root, "", problems);
  return problems;
}

}  // namespace ivsrt_cli
