// The client-side rate limiter of the "adaptive" retry mode, as the AWS SDKs implement it: a
// token bucket whose fill rate follows CUBIC congestion control. It stays off until the first
// throttling response; then each throttle cuts the rate to 70 % of what the client was sending,
// and successes grow it back along a cubic curve (scale 0.4) towards and beyond the rate where
// throttling began. The measured send rate is smoothed (0.8) over half-second buckets, the fill
// rate never drops below 0.5 requests per second and never exceeds twice the measured rate.
// Times are seconds on any monotonic clock, passed in, so the limiter is pure and testable; it
// returns how long to wait and never sleeps itself.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

namespace ivsrt::retry {

namespace cubic {

inline constexpr double beta = 0.7;
inline constexpr double scale = 0.4;

// K: the time after a throttle at which the curve is back at the rate where throttling began.
inline double time_window(double last_max_rate) {
  return std::cbrt(last_max_rate * (1.0 - beta) / scale);
}

inline double after_success(double seconds_since_throttle, double window, double last_max_rate) {
  return scale * std::pow(seconds_since_throttle - window, 3.0) + last_max_rate;
}

inline double after_throttle(double rate) {
  return rate * beta;
}

}  // namespace cubic

class rate_limiter {
 public:
  static constexpr double smoothing = 0.8;
  static constexpr double min_fill_rate = 0.5;
  static constexpr double min_capacity = 1.0;

  explicit rate_limiter(double now) : last_rate_bucket_(std::floor(now)), last_throttle_time_(now) {}

  // Takes a send token and returns how long to wait before sending: zero while tokens are
  // available (and always, until the first throttle). A token not yet available is reserved
  // against future refills, so each caller waits once and concurrent callers queue up in turn
  // (the SDKs block and re-check instead; the timing is the same).
  std::chrono::nanoseconds acquire(double now) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!enabled_) return {};
    refill(now);
    tokens_ -= 1.0;
    if (tokens_ >= 0.0) return {};
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(-tokens_ / fill_rate_));
  }

  // Called after every attempt.
  void update(bool throttled, double now) {
    std::lock_guard<std::mutex> lock(mutex_);
    measure(now);
    double calculated = 0.0;
    if (throttled) {
      const double rate_to_use = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
      last_max_rate_ = rate_to_use;
      last_throttle_time_ = now;
      calculated = cubic::after_throttle(rate_to_use);
      enabled_ = true;
    } else {
      calculated =
          cubic::after_success(now - last_throttle_time_, cubic::time_window(last_max_rate_), last_max_rate_);
    }
    const double rate = std::min(calculated, 2.0 * measured_rate_);
    refill(now);
    fill_rate_ = std::max(rate, min_fill_rate);
    capacity_ = std::max(rate, min_capacity);
    tokens_ = std::min(tokens_, capacity_);
  }

  [[nodiscard]] bool enabled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return enabled_;
  }
  [[nodiscard]] double fill_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fill_rate_;
  }
  [[nodiscard]] double measured_rate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return measured_rate_;
  }

 private:
  void refill(double now) {
    if (!refilled_) {
      refilled_ = true;
      last_refill_ = now;
      return;
    }
    tokens_ = std::min(capacity_, tokens_ + (now - last_refill_) * fill_rate_);
    last_refill_ = now;
  }

  void measure(double now) {
    const double bucket = std::floor(now * 2.0) / 2.0;
    ++requests_;
    if (bucket > last_rate_bucket_) {
      const double current = static_cast<double>(requests_) / (bucket - last_rate_bucket_);
      measured_rate_ = current * smoothing + measured_rate_ * (1.0 - smoothing);
      requests_ = 0;
      last_rate_bucket_ = bucket;
    }
  }

  mutable std::mutex mutex_;
  bool enabled_ = false;
  double tokens_ = 0.0;
  double capacity_ = 0.0;
  double fill_rate_ = 0.0;
  bool refilled_ = false;
  double last_refill_ = 0.0;
  double measured_rate_ = 0.0;
  double last_rate_bucket_;
  long requests_ = 0;
  double last_max_rate_ = 0.0;
  double last_throttle_time_;
};

}  // namespace ivsrt::retry
