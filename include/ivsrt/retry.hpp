// Retries as the AWS SDKs define them: which failures are retried, the per-client retry quota,
// exponential backoff with full jitter, and the decision taken after each attempt, in the SDKs'
// order (retryable? attempts left? can the quota pay? then wait). Pure logic: nothing here
// sleeps or sends, so the blocking client and an asynchronous engine share it.
//
//   revision v2_0 (today's "standard"): delay = rand[0,1) x min(1 s x 2^i, 20 s), i = retries so
//     far; a retry costs 5 quota tokens, one after a timeout 10.
//   revision v2026 (AWS_NEW_RETRIES_2026=true): base 50 ms, 1 s for throttling; costs 14, 5 for
//     throttling; x-amz-retry-after (ms) is honoured within [delay, delay + 5 s].
//   Both: 3 attempts by default; quota of 500 tokens; a success refunds what its call's last retry
//     cost, or 1 token when it needed no retry.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <random>
#include <string_view>

#include "ivsrt/error.hpp"

namespace ivsrt::retry {

enum class mode {
  standard,
  adaptive,  // standard plus a client-side rate limiter that slows sending after throttling
};

enum class revision { v2_0, v2026 };

// How an attempt ended, as far as retrying is concerned.
enum class attempt_result {
  success,
  not_retryable,
  transient,   // 500/502/503/504, transient error codes, dropped or refused connections
  timeout,     // the attempt ran out of time
  throttling,  // throttling error codes and HTTP 429
  clock_skew,  // signature refused for a skewed clock that the client has just corrected
};

// The error codes the SDKs treat as throttling.
constexpr bool is_throttling_code(std::string_view code) noexcept {
  constexpr std::string_view codes[] = {"Throttling",
                                        "ThrottlingException",
                                        "ThrottledException",
                                        "RequestThrottledException",
                                        "TooManyRequestsException",
                                        "ProvisionedThroughputExceededException",
                                        "TransactionInProgressException",
                                        "RequestLimitExceeded",
                                        "BandwidthLimitExceeded",
                                        "LimitExceededException",
                                        "RequestThrottled",
                                        "SlowDown",
                                        "PriorRequestNotComplete",
                                        "EC2ThrottledException"};
  return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

constexpr bool is_transient_code(std::string_view code) noexcept {
  return code == "RequestTimeout" || code == "RequestTimeoutException" || code == "PriorRequestNotComplete";
}

// Classifies a failed attempt (clock skew is recognised by the caller, who knows the skew).
inline attempt_result classify(const error& e) noexcept {
  if (e.kind == error_kind::transport) {
    if (e.code == "timeout") return attempt_result::timeout;
    if (e.code == "connect_failed" || e.code == "connection_failed" || e.code == "dns_failed") {
      return attempt_result::transient;
    }
    return attempt_result::not_retryable;
  }
  if (e.kind != error_kind::service) return attempt_result::not_retryable;
  if (is_throttling_code(e.code) || e.http_status == 429) return attempt_result::throttling;
  if (is_transient_code(e.code)) return attempt_result::transient;
  switch (e.http_status) {
    case 500:
    case 502:
    case 503:
    case 504: return attempt_result::transient;
    default: return attempt_result::not_retryable;
  }
}

// The value of x-amz-retry-after: whole milliseconds, digits only; nullopt otherwise.
constexpr std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view text) noexcept {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t ms = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    ms = ms * 10 + (c - '0');
  }
  return std::chrono::milliseconds(ms);
}

inline constexpr int default_max_attempts = 3;
inline constexpr int quota_capacity = 500;
inline constexpr int no_retry_refund = 1;
inline constexpr std::chrono::seconds max_backoff{20};
inline constexpr std::chrono::seconds max_retry_after_extra{5};

struct costs {
  int retry = 5;
  int timeout = 10;
  int throttling = 5;
};

constexpr costs costs_of(revision r) noexcept {
  return r == revision::v2026 ? costs{.retry = 14, .timeout = 14, .throttling = 5} : costs{};
}

// The delay before retry number i + 1 (i = retries made so far) for a jitter value in [0, 1).
constexpr std::chrono::nanoseconds backoff(
    revision r, attempt_result why, int i, double jitter,
    std::optional<std::chrono::milliseconds> retry_after = {}) noexcept {
  using std::chrono::nanoseconds;
  const nanoseconds cap = max_backoff;
  nanoseconds base = std::chrono::seconds(1);
  if (r == revision::v2026 && why != attempt_result::throttling) base = std::chrono::milliseconds(50);
  nanoseconds ceiling = base;
  for (int k = 0; k < i && ceiling < cap; ++k) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const nanoseconds t(static_cast<nanoseconds::rep>(jitter * static_cast<double>(ceiling.count())));
  if (r == revision::v2026 && retry_after) {
    return std::max(t, std::min(nanoseconds(*retry_after), t + nanoseconds(max_retry_after_extra)));
  }
  return t;
}

// Jitter from a per-thread generator, uniform in [0, 1).
inline double random_jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// The retry quota: a token bucket shared by all calls of one client, so that a failing service
// sees fewer retries instead of a retry storm.
class quota {
 public:
  explicit quota(int capacity = quota_capacity) noexcept : max_(capacity), available_(capacity) {}
  quota(const quota&) = delete;
  quota& operator=(const quota&) = delete;

  [[nodiscard]] int available() const noexcept { return available_.load(std::memory_order_relaxed); }

  bool try_acquire(int cost) noexcept {
    int now = available_.load(std::memory_order_relaxed);
    do {
      if (now < cost) return false;
    } while (!available_.compare_exchange_weak(now, now - cost, std::memory_order_relaxed));
    return true;
  }

  void release(int amount) noexcept {
    int now = available_.load(std::memory_order_relaxed);
    while (now < max_ &&
           !available_.compare_exchange_weak(now, std::min(max_, now + amount), std::memory_order_relaxed)) {
    }
  }

 private:
  int max_;
  std::atomic<int> available_;
};

// The retry settings of a client (or of one call).
struct strategy {
  mode retry_mode = mode::standard;
  int max_attempts = default_max_attempts;
  revision rev = revision::v2_0;
};

enum class verdict {
  success,          // the attempt succeeded; stop
  retry,            // wait `delay`, then send again
  not_retryable,    // the failure is final
  max_attempts,     // retryable, but no attempts are left
  quota_exhausted,  // retryable, but the retry quota cannot pay for it
  out_of_time,      // retryable, but the wait would pass the caller's deadline
};

constexpr const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::success: return "success";
    case verdict::retry: return "retry";
    case verdict::not_retryable: return "not retryable";
    case verdict::max_attempts: return "no attempts left";
    case verdict::quota_exhausted: return "retry quota exhausted";
    case verdict::out_of_time: return "the call's time limit would pass";
  }
  return "";
}

struct decision {
  verdict what = verdict::success;
  std::chrono::nanoseconds delay{0};
};

// How one call's attempts go: feed it each attempt's outcome, follow its decision.
class call_policy {
 public:
  // Returns a value in [0, 1) for each backoff.
  using jitter_source = double (*)();

  call_policy(const strategy& s, quota& q, jitter_source jitter) noexcept
      : strategy_(s), quota_(q), jitter_(jitter) {}

  [[nodiscard]] int attempts() const noexcept { return attempts_; }
  [[nodiscard]] int max_attempts() const noexcept { return strategy_.max_attempts; }

  // Called once after every attempt. retry_after: the response's x-amz-retry-after; time_left:
  // how long the call may still take, when it has a deadline.
  decision after_attempt(attempt_result result, std::optional<std::chrono::milliseconds> retry_after = {},
                         std::optional<std::chrono::nanoseconds> time_left = {}) noexcept {
    ++attempts_;
    if (result == attempt_result::success) {
      quota_.release(last_cost_ != 0 ? last_cost_ : no_retry_refund);
      return {verdict::success, {}};
    }
    if (result == attempt_result::not_retryable || (result == attempt_result::clock_skew && skew_retried_)) {
      return {verdict::not_retryable, {}};
    }
    if (attempts_ >= strategy_.max_attempts) return {verdict::max_attempts, {}};
    if (time_left && time_left->count() <= 0) return {verdict::out_of_time, {}};
    if (result == attempt_result::clock_skew) {
      // The request failed for our clock, not the service's health: resend at once, for free.
      skew_retried_ = true;
      return {verdict::retry, {}};
    }
    const costs c = costs_of(strategy_.rev);
    const int cost = result == attempt_result::throttling ? c.throttling
                     : result == attempt_result::timeout  ? c.timeout
                                                          : c.retry;
    if (quota_.available() < cost) return {verdict::quota_exhausted, {}};
    const auto delay = backoff(strategy_.rev, result, retries_, jitter_(), retry_after);
    if (time_left && delay >= *time_left) return {verdict::out_of_time, {}};
    if (!quota_.try_acquire(cost)) return {verdict::quota_exhausted, {}};
    last_cost_ = cost;
    ++retries_;
    return {verdict::retry, delay};
  }

 private:
  strategy strategy_;
  quota& quota_;
  jitter_source jitter_;
  int attempts_ = 0;
  int retries_ = 0;  // backoff retries; a clock-skew resend does not grow the backoff
  int last_cost_ = 0;
  bool skew_retried_ = false;
};

}  // namespace ivsrt::retry
