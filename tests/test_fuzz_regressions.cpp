// Inputs the fuzz targets (tests/fuzz) found to misbehave, kept as regression tests.
#include <string>

#include "catch.hpp"
#include "ivsrt/clock_skew.hpp"
#include "ivsrt/credential_process.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/model/composition.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/timestamp.hpp"

using namespace ivsrt;

// ivsrt-fuzz-responses and ivsrt-fuzz-timestamp: a date-time outside what 64-bit nanoseconds
// since 1970 can hold overflowed (undefined behaviour) instead of being refused.
TEST_CASE("fuzz: date-times outside the years 1678 to 2262 are refused, not overflowed",
          "[fuzz][timestamp]") {
  for (const char* far : {"1012-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                          "2262-04-12T00:00:00Z", "1677-09-21T00:12:43Z", "2262-04-11T23:47:16.5+00:00"}) {
    INFO(far);
    REQUIRE_FALSE(parse_timestamp(far).has_value());
  }
  for (const char* edge : {"2262-04-11T23:47:15Z", "1677-09-21T00:12:45Z", "1970-01-01T00:00:00Z"}) {
    INFO(edge);
    const auto t = parse_timestamp(edge);
    REQUIRE(t.has_value());
    REQUIRE(format_timestamp(*t) == edge);
  }
  REQUIRE_FALSE(clock_skew::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT").has_value());
  REQUIRE_FALSE(clock_skew::parse_http_date("Sat, 01 Jan 1000 00:00:00 GMT").has_value());
  REQUIRE(clock_skew::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").has_value());
}

TEST_CASE("fuzz: a response with a far-away time is a parse error naming the member", "[fuzz][json]") {
  http::response resp;
  resp.status = 200;
  resp.body = R"({"composition":{"arn":"a","stageArn":"s","state":"ACTIVE","destinations":[],)"
              R"("startTime":"1012-01-01T00:00:00Z"}})";
  auto r = rest_json::decode<GetCompositionResponse>(resp);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::parse);
  REQUIRE(r.error().message.find("composition.startTime") != std::string::npos);
  REQUIRE(r.error().message.find("1678 to 2262") != std::string::npos);

  // Epoch seconds as a number: the same range.
  resp.body =
      R"({"composition":{"arn":"a","stageArn":"s","state":"ACTIVE","destinations":[],"startTime":1e10}})";
  r = rest_json::decode<GetCompositionResponse>(resp);
  REQUIRE(r.error().message.find("composition.startTime: expected a timestamp") != std::string::npos);
  resp.body =
      R"({"composition":{"arn":"a","stageArn":"s","state":"ACTIVE","destinations":[],"startTime":9e9}})";
  r = rest_json::decode<GetCompositionResponse>(resp);
  REQUIRE(r.ok());
  REQUIRE(r->composition->startTime.has_value());
}

// ivsrt-fuzz-credential-process: the same overflow through a credential_process Expiration.
TEST_CASE("fuzz: credential_process output with a far-away Expiration is refused", "[fuzz][credentials]") {
  std::string text = R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":"t",)"
                     R"("Expiration":"0967-01-01T00:00:00Z"})";
  auto r = detail::parse_process_output(text, "fuzz");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::credentials);
  REQUIRE(r.error().message.find("Expiration") != std::string::npos);
}
