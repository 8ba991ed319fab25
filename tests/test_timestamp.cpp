// ISO 8601 timestamps: parsing with and without fractions, Z or offsets; formatting; rejects.
#include "catch.hpp"
#include "ivsrt/timestamp.hpp"

using namespace std::chrono;
using ivsrt::format_timestamp;
using ivsrt::parse_timestamp;

namespace {
std::int64_t epoch_ns(std::string_view s) {
  auto t = parse_timestamp(s);
  REQUIRE(t.has_value());
  return t->time_since_epoch().count();
}
}  // namespace

TEST_CASE("parses UTC date-times to nanoseconds since the epoch", "[timestamp]") {
  REQUIRE(epoch_ns("1970-01-01T00:00:00Z") == 0);
  REQUIRE(epoch_ns("2024-02-29T12:34:56Z") == 1709210096LL * 1000000000LL);
  REQUIRE(epoch_ns("2024-02-29T12:34:56.5Z") == 1709210096LL * 1000000000LL + 500000000LL);
  REQUIRE(epoch_ns("2024-02-29T12:34:56.123456789Z") == 1709210096LL * 1000000000LL + 123456789LL);
  // Digits past nanoseconds are dropped, not rounded.
  REQUIRE(epoch_ns("2024-02-29T12:34:56.1234567899Z") == 1709210096LL * 1000000000LL + 123456789LL);
  REQUIRE(epoch_ns("1969-12-31T23:59:59Z") == -1000000000LL);
  REQUIRE(epoch_ns("2024-02-29t12:34:56z") == 1709210096LL * 1000000000LL);
  // RFC 3339 lets a space stand for the T; botocore reads it, and some tools write SSO caches that way.
  REQUIRE(epoch_ns("2024-02-29 12:34:56Z") == 1709210096LL * 1000000000LL);
}

TEST_CASE("offsets are applied", "[timestamp]") {
  REQUIRE(epoch_ns("2024-02-29T14:34:56+02:00") == epoch_ns("2024-02-29T12:34:56Z"));
  REQUIRE(epoch_ns("2024-02-29T07:04:56-0530") == epoch_ns("2024-02-29T12:34:56Z"));
  REQUIRE(epoch_ns("2024-03-01T00:30:00+01:00") == epoch_ns("2024-02-29T23:30:00Z"));
}

TEST_CASE("malformed timestamps are rejected", "[timestamp]") {
  for (const char* bad : {"", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                          "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01_00:00:00Z",
                          "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00Zjunk",
                          "2024-1-01T00:00:00Z", "2024-01-01T00:00:00+2:00", "abcd-01-01T00:00:00Z"}) {
    INFO(bad);
    REQUIRE_FALSE(parse_timestamp(bad).has_value());
  }
}

TEST_CASE("formats in UTC with the shortest fraction, and round-trips", "[timestamp]") {
  REQUIRE(format_timestamp(ivsrt::timestamp{}) == "1970-01-01T00:00:00Z");
  REQUIRE(format_timestamp(*parse_timestamp("2024-02-29T14:34:56.120+02:00")) == "2024-02-29T12:34:56.12Z");
  REQUIRE(format_timestamp(*parse_timestamp("1969-12-31T23:59:59.5Z")) == "1969-12-31T23:59:59.5Z");
  for (const char* s :
       {"2000-01-01T00:00:00Z", "2099-12-31T23:59:59.999999999Z", "1901-06-15T08:09:10.001Z"}) {
    REQUIRE(format_timestamp(*parse_timestamp(s)) == s);
  }
}

TEST_CASE("a credential expiry after 2262 is the latest timestamp; malformed ones are still refused",
          "[timestamp]") {
  const ivsrt::timestamp latest{std::chrono::seconds(ivsrt::max_timestamp_seconds)};
  for (const char* far : {"9999-12-31T23:59:59Z", "3025-09-14T04:05:45Z", "2262-04-12T00:00:00Z"}) {
    INFO(far);
    REQUIRE_FALSE(parse_timestamp(far).has_value());
    REQUIRE(ivsrt::parse_expiry(far) == latest);
  }
  REQUIRE(ivsrt::parse_expiry("2030-01-01T00:00:00.5+01:00") == parse_timestamp("2029-12-31T23:00:00.5Z"));
  for (const char* bad : {"1012-01-01T00:00:00Z", "9999-12-31T23:59:59", "9999-13-01T00:00:00Z", ""}) {
    INFO(bad);
    REQUIRE_FALSE(ivsrt::parse_expiry(bad).has_value());
  }
  REQUIRE(format_timestamp(latest).substr(0, 11) == "2262-04-11T");
}
