// Operations 1-13 of all_operations on the wire, against botocore's known answers and, where it
// is installed, botocore itself. The 39 operations are split over three files so that they compile
// in parallel.
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

#include "operation_wire.hpp"

TEST_CASE("operations 1-13: every member on the wire, as botocore writes and reads it",
          "[operations][wire]") {
  ivsrt_test::check_operations<ivsrt_test::slice<ivsrt::all_operations, 0, 13>>();
}

namespace {
template <class T>
concept streamable = requires(std::ostream& os, const T& v) {
  os << v;
};
}  // namespace

TEST_CASE("sensitive strings cannot be streamed or converted to a string by accident", "[operations]") {
  STATIC_REQUIRE(streamable<std::string>);
  STATIC_REQUIRE_FALSE(streamable<ivsrt::sensitive_string>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<ivsrt::sensitive_string, std::string>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<ivsrt::sensitive_string, std::string_view>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(ivsrt::ParticipantToken{}.token), ivsrt::optional<ivsrt::sensitive_string>>);
  STATIC_REQUIRE(std::is_same_v<decltype(ivsrt::IngestConfiguration{}.streamKey), ivsrt::sensitive_string>);
}
