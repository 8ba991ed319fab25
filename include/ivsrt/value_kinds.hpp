// The kinds of member types the model uses, as concepts shared by the JSON writer and reader,
// validation and the CLI.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "ivsrt/open_enum.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt::kinds {

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class V, class C, class A>
struct is_string_map<std::map<std::string, V, C, A>> : std::true_type {};

template <class T>
concept boolean = std::is_same_v<T, bool>;
template <class T>
concept integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T>
concept floating = std::is_floating_point_v<T>;
template <class T>
concept string = std::is_same_v<T, std::string>;
template <class T>
concept secret = std::is_same_v<T, sensitive_string>;
template <class T>
concept enumeration = is_open_enum<T>::value;
template <class T>
concept time_point = std::is_same_v<T, timestamp>;
template <class T>
concept optional = is_optional<T>::value;
template <class T>
concept list = is_vector<T>::value;
template <class T>
concept map = is_string_map<T>::value;
template <class T>
concept structure =
    std::is_aggregate_v<T> && std::is_class_v<T> && !list<T> && !map<T> && !string<T> && !optional<T>;

}  // namespace ivsrt::kinds
