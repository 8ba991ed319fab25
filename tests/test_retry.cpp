// The retry decisions with their exact numbers: classification, backoff with the jitter fixed,
// the retry quota after every step (standard v2.0 and the 2026 revision, the latter after the
// table test in aws-sdk-go-v2 aws/retry/retry2026_test.go), and the adaptive rate limiter after
// the cross-SDK CUBIC vectors (aws-sdk-go-v2 aws/retry/adaptive_ratelimit_test.go).
#include <cmath>
#include <vector>

#include "catch.hpp"
#include "ivsrt/rate_limiter.hpp"
#include "ivsrt/retry.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using retry::attempt_result;
using retry::verdict;

namespace {

error service(int status, std::string code = {}) {
  error e = make_error(error_kind::service, std::move(code), "x");
  e.http_status = status;
  return e;
}

error transport(std::string code) {
  return make_error(error_kind::transport, std::move(code), "x");
}

double jitter_one() {
  return 1.0;
}
double jitter_half() {
  return 0.5;
}

struct step {
  int status = 200;  // 0: a transport failure named by code
  std::string code{};
  std::optional<std::chrono::milliseconds> retry_after{};
  verdict expected = verdict::success;
  int quota_after = 0;
  std::chrono::nanoseconds delay{0};
};

// Runs calls (each a list of steps) through one quota, checking every decision.
void run(retry::revision rev, int max_attempts, int initial_quota,
         const std::vector<std::vector<step>>& calls,
         retry::call_policy::jitter_source jitter = &jitter_one) {
  retry::quota q(initial_quota);
  int call_number = 0;
  for (const auto& steps : calls) {
    ++call_number;
    retry::call_policy policy({.retry_mode = retry::mode::standard, .max_attempts = max_attempts, .rev = rev},
                              q, jitter);
    int n = 0;
    for (const step& s : steps) {
      ++n;
      INFO("call " << call_number << " step " << n);
      attempt_result r = attempt_result::success;
      if (s.status == 0) {
        r = retry::classify(transport(s.code));
      } else if (s.status >= 300) {
        r = retry::classify(service(s.status, s.code));
      }
      const retry::decision d = policy.after_attempt(r, s.retry_after);
      REQUIRE(retry::to_string(d.what) == std::string(retry::to_string(s.expected)));
      REQUIRE(q.available() == s.quota_after);
      REQUIRE(d.delay == s.delay);
      REQUIRE(policy.attempts() == n);
    }
  }
}

}  // namespace

TEST_CASE("which failures are retried", "[retry]") {
  for (const char* code :
       {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"}) {
    INFO(code);
    REQUIRE(retry::classify(service(400, code)) == attempt_result::throttling);
  }
  REQUIRE(retry::classify(service(429, "Http429")) == attempt_result::throttling);
  for (int status : {500, 502, 503, 504})
    REQUIRE(retry::classify(service(status, "Http")) == attempt_result::transient);
  REQUIRE(retry::classify(service(500, "InternalServerException")) == attempt_result::transient);
  REQUIRE(retry::classify(service(400, "RequestTimeout")) == attempt_result::transient);
  REQUIRE(retry::classify(service(408, "RequestTimeoutException")) == attempt_result::transient);
  for (auto [status, code] : std::vector<std::pair<int, std::string>>{{400, "ValidationException"},
                                                                      {403, "AccessDeniedException"},
                                                                      {403, "PendingVerification"},
                                                                      {404, "ResourceNotFoundException"},
                                                                      {409, "ConflictException"},
                                                                      {402, "ServiceQuotaExceededException"},
                                                                      {501, "Http501"},
                                                                      {505, "Http505"},
                                                                      {403, "UnrecognizedClientException"}}) {
    INFO(code);
    REQUIRE(retry::classify(service(status, code)) == attempt_result::not_retryable);
  }
  REQUIRE(retry::classify(transport("timeout")) == attempt_result::timeout);
  for (const char* code : {"connect_failed", "connection_failed", "dns_failed"}) {
    REQUIRE(retry::classify(transport(code)) == attempt_result::transient);
  }
  for (const char* code : {"tls_failed", "max_response_size", "http_failed", "io_failed"}) {
    REQUIRE(retry::classify(transport(code)) == attempt_result::not_retryable);
  }
  REQUIRE(retry::classify(make_error(error_kind::parse, "x", "y")) == attempt_result::not_retryable);
  REQUIRE(retry::classify(make_error(error_kind::validation, "x", "y")) == attempt_result::not_retryable);
}

TEST_CASE("backoff: full jitter over an exponential ceiling", "[retry]") {
  using retry::backoff;
  const auto v20 = retry::revision::v2_0;
  const auto v26 = retry::revision::v2026;
  const auto transient = attempt_result::transient;
  const auto throttle = attempt_result::throttling;
  const std::vector<std::chrono::nanoseconds> v20_ceilings = {1s, 2s, 4s, 8s, 16s, 20s, 20s, 20s};
  for (int i = 0; i < 8; ++i) {
    REQUIRE(backoff(v20, transient, i, 1.0) == v20_ceilings[static_cast<std::size_t>(i)]);
    REQUIRE(backoff(v20, throttle, i, 0.5) == v20_ceilings[static_cast<std::size_t>(i)] / 2);
    REQUIRE(backoff(v20, transient, i, 0.0) == 0s);
  }
  REQUIRE(backoff(v20, transient, 1000, 1.0) == 20s);  // no overflow for absurd attempt counts
  const std::vector<std::chrono::nanoseconds> v26_ceilings = {50ms,  100ms,  200ms, 400ms,
                                                              800ms, 1600ms, 3200ms};
  for (int i = 0; i < 7; ++i)
    REQUIRE(backoff(v26, transient, i, 1.0) == v26_ceilings[static_cast<std::size_t>(i)]);
  REQUIRE(backoff(v26, transient, 9, 1.0) == 20s);  // 25.6 s capped
  REQUIRE(backoff(v26, throttle, 0, 1.0) == 1s);
  REQUIRE(backoff(v26, throttle, 3, 0.25) == 2s);
  // x-amz-retry-after: honoured within [t, t + 5 s], in the 2026 revision only.
  REQUIRE(backoff(v26, transient, 0, 1.0, 1500ms) == 1500ms);
  REQUIRE(backoff(v26, transient, 0, 1.0, 0ms) == 50ms);
  REQUIRE(backoff(v26, transient, 0, 1.0, 10000ms) == 5050ms);
  REQUIRE(backoff(v20, transient, 0, 1.0, 10000ms) == 1s);
  REQUIRE(retry::parse_retry_after("1500") == 1500ms);
  REQUIRE(retry::parse_retry_after("0") == 0ms);
  for (const char* bad : {"", "invalid", "-5", "1.5", " 10", "9999999999999"})
    REQUIRE_FALSE(retry::parse_retry_after(bad));
}

TEST_CASE("the retry quota never goes below zero or above its capacity", "[retry]") {
  retry::quota q;
  REQUIRE(q.available() == 500);
  q.release(5);
  REQUIRE(q.available() == 500);
  REQUIRE(q.try_acquire(10));
  REQUIRE(q.available() == 490);
  q.release(1);
  REQUIRE(q.available() == 491);
  q.release(100);
  REQUIRE(q.available() == 500);
  retry::quota small(7);
  REQUIRE(small.try_acquire(5));
  REQUIRE_FALSE(small.try_acquire(5));
  REQUIRE(small.available() == 2);
}

TEST_CASE("standard v2.0: costs 5 (10 after a timeout), backoff 1 s x 2^i", "[retry]") {
  const auto v20 = retry::revision::v2_0;
  SECTION("retry eventually succeeds; the success refunds the last cost") {
    run(v20, 3, 500,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 495, .delay = 1s},
          {.status = 503, .expected = verdict::retry, .quota_after = 490, .delay = 2s},
          {.status = 200, .expected = verdict::success, .quota_after = 495}}});
  }
  SECTION("max attempts reached") {
    run(v20, 3, 500,
        {{{.status = 502, .expected = verdict::retry, .quota_after = 495, .delay = 1s},
          {.status = 502, .expected = verdict::retry, .quota_after = 490, .delay = 2s},
          {.status = 502, .expected = verdict::max_attempts, .quota_after = 490}}});
  }
  SECTION("timeouts cost 10, throttles 5, connection failures 5") {
    run(v20, 5, 500,
        {{{.status = 0, .code = "timeout", .expected = verdict::retry, .quota_after = 490, .delay = 1s},
          {.status = 400,
           .code = "ThrottlingException",
           .expected = verdict::retry,
           .quota_after = 485,
           .delay = 2s},
          {.status = 0,
           .code = "connection_failed",
           .expected = verdict::retry,
           .quota_after = 480,
           .delay = 4s},
          {.status = 429, .expected = verdict::retry, .quota_after = 475, .delay = 8s},
          {.status = 200, .expected = verdict::success, .quota_after = 480}}});
  }
  SECTION("a first-attempt success refunds 1; errors that are not retried cost nothing") {
    run(v20, 3, 500,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 495, .delay = 500ms},
          {.status = 400,
           .code = "ValidationException",
           .expected = verdict::not_retryable,
           .quota_after = 495}},
         {{.status = 200, .expected = verdict::success, .quota_after = 496}},
         {{.status = 404,
           .code = "ResourceNotFoundException",
           .expected = verdict::not_retryable,
           .quota_after = 496}}},
        &jitter_half);
  }
  SECTION("the quota runs out: 100 retries of 5 tokens, then none") {
    std::vector<std::vector<step>> calls;
    for (int i = 1; i <= 50; ++i) {
      calls.push_back(
          {{.status = 503, .expected = verdict::retry, .quota_after = 500 - 10 * i + 5, .delay = 1s},
           {.status = 503, .expected = verdict::retry, .quota_after = 500 - 10 * i, .delay = 2s},
           {.status = 503, .expected = verdict::max_attempts, .quota_after = 500 - 10 * i}});
    }
    calls.push_back({{.status = 503, .expected = verdict::quota_exhausted, .quota_after = 0}});
    calls.push_back({{.status = 200, .expected = verdict::success, .quota_after = 1}});
    run(v20, 3, 500, calls);
  }
  SECTION("a timeout needs 10 tokens even when 5 are left") {
    run(v20, 3, 9,
        {{{.status = 0, .code = "timeout", .expected = verdict::quota_exhausted, .quota_after = 9}},
         {{.status = 500, .expected = verdict::retry, .quota_after = 4, .delay = 1s},
          {.status = 500, .expected = verdict::quota_exhausted, .quota_after = 4}}});
  }
}

TEST_CASE("the 2026 revision: costs 14 (5 for throttling), 50 ms base, x-amz-retry-after", "[retry]") {
  const auto v26 = retry::revision::v2026;
  SECTION("retry eventually succeeds") {
    run(v26, 3, 500,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 486, .delay = 50ms},
          {.status = 500, .expected = verdict::retry, .quota_after = 472, .delay = 100ms},
          {.status = 200, .expected = verdict::success, .quota_after = 486}}});
  }
  SECTION("fail due to max attempts reached") {
    run(v26, 3, 500,
        {{{.status = 502, .expected = verdict::retry, .quota_after = 486, .delay = 50ms},
          {.status = 502, .expected = verdict::retry, .quota_after = 472, .delay = 100ms},
          {.status = 502, .expected = verdict::max_attempts, .quota_after = 472}}});
  }
  SECTION("retry quota reached after a single retry") {
    run(v26, 3, 14,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 0, .delay = 50ms},
          {.status = 500, .expected = verdict::quota_exhausted, .quota_after = 0}}});
  }
  SECTION("no retries at all if the retry quota is 0") {
    run(v26, 3, 0, {{{.status = 500, .expected = verdict::quota_exhausted, .quota_after = 0}}});
  }
  SECTION("exponential backoff timing") {
    run(v26, 5, 500,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 486, .delay = 50ms},
          {.status = 500, .expected = verdict::retry, .quota_after = 472, .delay = 100ms},
          {.status = 500, .expected = verdict::retry, .quota_after = 458, .delay = 200ms},
          {.status = 500, .expected = verdict::retry, .quota_after = 444, .delay = 400ms},
          {.status = 500, .expected = verdict::max_attempts, .quota_after = 444}}});
  }
  SECTION("retry stops after retry quota exhaustion") {
    run(v26, 5, 20,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 6, .delay = 50ms},
          {.status = 502, .expected = verdict::quota_exhausted, .quota_after = 6}}});
  }
  SECTION("retry quota recovery after successful responses") {
    run(v26, 5, 30,
        {{{.status = 500, .expected = verdict::retry, .quota_after = 16, .delay = 50ms},
          {.status = 502, .expected = verdict::retry, .quota_after = 2, .delay = 100ms},
          {.status = 200, .expected = verdict::success, .quota_after = 16}},
         {{.status = 500, .expected = verdict::retry, .quota_after = 2, .delay = 50ms},
          {.status = 200, .expected = verdict::success, .quota_after = 16}}});
  }
  SECTION("throttling error: bucket drain and backoff duration") {
    run(v26, 3, 500,
        {{{.status = 400, .code = "Throttling", .expected = verdict::retry, .quota_after = 495, .delay = 1s},
          {.status = 200, .expected = verdict::success, .quota_after = 500}}});
  }
  SECTION("timeouts cost 14 like any other non-throttling retry") {
    run(v26, 3, 500,
        {{{.status = 0, .code = "timeout", .expected = verdict::retry, .quota_after = 486, .delay = 50ms},
          {.status = 200, .expected = verdict::success, .quota_after = 500}}});
  }
  SECTION("x-amz-retry-after within its clamp") {
    run(v26, 3, 500,
        {{{.status = 500,
           .retry_after = 1500ms,
           .expected = verdict::retry,
           .quota_after = 486,
           .delay = 1500ms},
          {.status = 500, .retry_after = 0ms, .expected = verdict::retry, .quota_after = 472, .delay = 100ms},
          {.status = 200, .expected = verdict::success, .quota_after = 486}},
         {{.status = 500,
           .retry_after = 10000ms,
           .expected = verdict::retry,
           .quota_after = 472,
           .delay = 5050ms},
          {.status = 200, .expected = verdict::success, .quota_after = 486}}});
  }
}

TEST_CASE("a clock-skew retry is immediate, free and happens once per call", "[retry][clock-skew]") {
  retry::quota q;
  retry::call_policy p({.retry_mode = retry::mode::standard, .max_attempts = 3, .rev = retry::revision::v2_0},
                       q, &jitter_one);
  auto d = p.after_attempt(attempt_result::clock_skew);
  REQUIRE(d.what == verdict::retry);
  REQUIRE(d.delay == 0ns);
  REQUIRE(q.available() == 500);
  d = p.after_attempt(attempt_result::clock_skew);
  REQUIRE(d.what == verdict::not_retryable);
  REQUIRE(p.attempts() == 2);

  retry::call_policy after_backoff(
      {.retry_mode = retry::mode::standard, .max_attempts = 3, .rev = retry::revision::v2_0}, q, &jitter_one);
  REQUIRE(after_backoff.after_attempt(attempt_result::clock_skew).what == verdict::retry);
  d = after_backoff.after_attempt(attempt_result::transient);
  REQUIRE(d.what == verdict::retry);
  REQUIRE(d.delay == 1s);  // the skew resend does not grow the backoff
  REQUIRE(after_backoff.after_attempt(attempt_result::clock_skew).what == verdict::not_retryable);

  retry::call_policy single(
      {.retry_mode = retry::mode::standard, .max_attempts = 1, .rev = retry::revision::v2_0}, q, &jitter_one);
  REQUIRE(single.after_attempt(attempt_result::clock_skew).what == verdict::max_attempts);
}

TEST_CASE("a retry whose wait would pass the deadline is not taken and costs nothing", "[retry]") {
  retry::quota q;
  retry::call_policy p({.retry_mode = retry::mode::standard, .max_attempts = 3, .rev = retry::revision::v2_0},
                       q, &jitter_one);
  REQUIRE(p.after_attempt(attempt_result::transient, {}, 999ms).what == verdict::out_of_time);
  REQUIRE(q.available() == 500);
  retry::call_policy q2(
      {.retry_mode = retry::mode::standard, .max_attempts = 3, .rev = retry::revision::v2_0}, q, &jitter_one);
  const auto d = q2.after_attempt(attempt_result::transient, {}, 1001ms);
  REQUIRE(d.what == verdict::retry);
  REQUIRE(d.delay == 1s);
  retry::call_policy skew(
      {.retry_mode = retry::mode::standard, .max_attempts = 3, .rev = retry::revision::v2_0}, q, &jitter_one);
  REQUIRE(skew.after_attempt(attempt_result::clock_skew, {}, -1ms).what == verdict::out_of_time);
}

TEST_CASE("adaptive mode: the CUBIC curve", "[retry][adaptive]") {
  struct point {
    bool throttled;
    double t;
    double rate;
  };
  const std::vector<std::pair<const char*, std::vector<point>>> cases = {
      {"success",
       {{false, 5, 7.0},
        {false, 6, 9.64893600966},
        {false, 7, 10.000030849917364},
        {false, 8, 10.453284520772092},
        {false, 9, 13.408697022224185},
        {false, 10, 21.26626835427364},
        {false, 11, 36.425998516920465}}},
      {"mixed",
       {{false, 5, 7.0},
        {false, 6, 9.64893600966},
        {true, 7, 6.754255206761999},
        {true, 8, 4.727978644733399},
        {false, 9, 4.670125557970046},
        {false, 10, 4.770870456867401},
        {false, 11, 6.011819748005445},
        {false, 12, 10.792973431384178}}},
  };
  for (const auto& [name, points] : cases) {
    double last_max_rate = 10.0;
    double last_throttle = 5.0;
    double rate = 0.0;
    for (const point& p : points) {
      INFO(name << " t=" << p.t);
      const double window = retry::cubic::time_window(last_max_rate);
      if (p.throttled) {
        rate = retry::cubic::after_throttle(rate);
        last_throttle = p.t;
        last_max_rate = rate;
      } else {
        rate = retry::cubic::after_success(p.t - last_throttle, window, last_max_rate);
      }
      REQUIRE(std::abs(rate - p.rate) < 1e-9);
    }
  }
}

TEST_CASE("adaptive mode: measured send rate and fill rate after each response", "[retry][adaptive]") {
  struct point {
    bool throttled;
    double t;
    double measured;
    double fill;
  };
  const std::vector<point> points = {
      {false, 0.2, 0.0, 0.5},
      {false, 0.4, 0.0, 0.5},
      {false, 0.6, 4.8, 0.5},
      {false, 0.8, 4.8, 0.5},
      {false, 1.0, 4.16, 0.5},
      {false, 1.2, 4.16, 0.6912},
      {false, 1.4, 4.16, 1.0976},
      {false, 1.6, 5.632, 1.6384},
      {false, 1.8, 5.632, 2.3328},
      {true, 2.0, 4.3264, 3.02848},
      {false, 2.2, 4.3264, 3.4866391734702598},
      {false, 2.4, 4.3264, 3.8218744160402554},
      {false, 2.6, 5.665280, 4.053385727709987},
      {false, 2.8, 5.665280, 4.200373108479455},
      {false, 3.0, 4.333056, 4.282036558348658},
      {true, 3.2, 4.333056, 2.99742559084406},
      {false, 3.4, 4.333056, 3.4522263943863463},
  };
  retry::rate_limiter limiter(0.0);
  for (const point& p : points) {
    INFO("t=" << p.t);
    limiter.update(p.throttled, p.t);
    REQUIRE(std::abs(limiter.measured_rate() - p.measured) < 1e-9);
    REQUIRE(std::abs(limiter.fill_rate() - p.fill) < 1e-9);
  }
  REQUIRE(limiter.enabled());
}

TEST_CASE("adaptive mode: no waiting before the first throttle, then tokens at the fill rate",
          "[retry][adaptive]") {
  retry::rate_limiter limiter(100.0);
  for (int i = 0; i < 50; ++i) REQUIRE(limiter.acquire(100.0) == 0ns);
  REQUIRE_FALSE(limiter.enabled());
  limiter.update(false, 100.25);  // starts the refill clock
  limiter.update(true, 100.375);  // nothing measured yet: the rate falls to the 0.5/s floor
  REQUIRE(limiter.enabled());
  REQUIRE(limiter.fill_rate() == 0.5);
  // The bucket refilled 0.5 tokens/s x 0.125 s before the throttle: 0.0625 tokens.
  REQUIRE(limiter.acquire(100.375) == 1875ms);  // 0.9375 token at 0.5/s
  REQUIRE(limiter.acquire(100.375) == 3875ms);  // the next caller queues behind it
  REQUIRE(limiter.acquire(106.375) == 0ns);     // 3 tokens refilled, capped at the capacity of 1
}
