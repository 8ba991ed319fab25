// Clock-skew measurement: HTTP dates, the midpoint rule, cached and slow responses, the 4-minute
// threshold and the codes that mean "your clock is off".
#include <string>

#include "catch.hpp"
#include "ivsrt/clock_skew.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;

TEST_CASE("HTTP dates in IMF-fixdate form", "[clock-skew]") {
  auto t = clock_skew::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(t);
  REQUIRE(format_timestamp(*t) == "1994-11-06T08:49:37Z");
  REQUIRE(format_timestamp(*clock_skew::parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT")) ==
          "2024-02-29T23:59:59Z");
  REQUIRE(format_timestamp(*clock_skew::parse_http_date("Fri, 01 Jan 2100 00:00:00 GMT")) ==
          "2100-01-01T00:00:00Z");
  for (const char* bad :
       {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Now 1994 08:49:37 GMT", "Thu, 29 Feb 2023 10:00:00 GMT", "Sun, 31 Apr 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun, 0x Nov 1994 08:49:37 GMT"}) {
    INFO(bad);
    REQUIRE_FALSE(clock_skew::parse_http_date(bad));
  }
}

TEST_CASE("HTTP dates are written in the form they are read", "[clock-skew]") {
  REQUIRE(clock_skew::format_http_date(*parse_timestamp("1994-11-06T08:49:37.999Z")) ==
          "Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(clock_skew::format_http_date(*parse_timestamp("2024-02-29T23:59:59Z")) ==
          "Thu, 29 Feb 2024 23:59:59 GMT");
  // Every day of four years (a leap year among them) reads back as itself, to the second.
  auto t = *parse_timestamp("2023-01-01T13:07:09Z");
  for (int i = 0; i < 4 * 366; ++i, t += 24h + 1s) {
    const std::string text = clock_skew::format_http_date(t);
    INFO(text);
    const auto back = clock_skew::parse_http_date(text);
    REQUIRE(back);
    REQUIRE(*back == t);
  }
}

TEST_CASE("skew is the server's Date minus the midpoint of the exchange", "[clock-skew]") {
  const timestamp sent = *parse_timestamp("2024-05-01T12:00:00Z");
  const timestamp received = sent + 2s;
  auto skew = clock_skew::measure("Wed, 01 May 2024 12:05:01 GMT", false, sent, received);
  REQUIRE(skew == 5min);
  REQUIRE(clock_skew::measure("Wed, 01 May 2024 11:00:01 GMT", false, sent, received) == -1h);
  REQUIRE_FALSE(
      clock_skew::measure("Wed, 01 May 2024 12:05:01 GMT", true, sent, received));  // Age: from a cache
  REQUIRE_FALSE(clock_skew::measure("Wed, 01 May 2024 12:05:01 GMT", false, sent, sent + 16min));
  REQUIRE(clock_skew::measure("Wed, 01 May 2024 12:07:30 GMT", false, sent, sent + 15min) == 0s);
  REQUIRE_FALSE(clock_skew::measure("Wed, 01 May 2024 12:05:01 GMT", false, received, sent));
  REQUIRE_FALSE(clock_skew::measure("", false, sent, received));
  REQUIRE_FALSE(clock_skew::measure("yesterday", false, sent, received));
}

TEST_CASE("a request was skewed when it was signed more than 4 minutes off", "[clock-skew]") {
  REQUIRE_FALSE(clock_skew::skewed(4min, 0s));
  REQUIRE(clock_skew::skewed(4min + 1s, 0s));
  REQUIRE(clock_skew::skewed(-5min, 0s));
  REQUIRE_FALSE(clock_skew::skewed(-2min, 0s));
  REQUIRE_FALSE(clock_skew::skewed(1h + 30s, 1h));  // already signed with the right offset
  REQUIRE(clock_skew::skewed(0s, 1h));              // the local clock was fixed since: heal
}

TEST_CASE("the error codes that point at the clock", "[clock-skew]") {
  for (const char* code : {"InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
                           "RequestTimeTooSkewed", "AccessDeniedException"}) {
    REQUIRE(clock_skew::is_skew_code(code));
  }
  for (const char* code :
       {"RequestExpired", "RequestInTheFuture", "ValidationException", "ExpiredToken", ""}) {
    REQUIRE_FALSE(clock_skew::is_skew_code(code));
  }
}

TEST_CASE("the corrected clock adds its offset", "[clock-skew]") {
  clock_skew::corrected_clock c;
  REQUIRE(c.offset() == 0s);
  c.set_offset(-90min);
  const auto before = clock_skew::corrected_clock::system_now();
  const auto corrected = c.now();
  const auto after = clock_skew::corrected_clock::system_now();
  REQUIRE(corrected >= before - 90min);
  REQUIRE(corrected <= after - 90min);
}
