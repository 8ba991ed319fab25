// The retry settings a client can be given in code (see retry_config.hpp for the environment and
// profile settings that fill in the rest).
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace ivsrt {

namespace retry {

enum class mode {
  standard,
  adaptive,  // standard plus a client-side rate limiter that slows sending after throttling
};

}  // namespace retry

struct retry_options {
  std::optional<retry::mode> mode{};
  std::optional<int> max_attempts{};  // attempts in all, the first included
  std::optional<bool> new_retries_2026{};
  // Waits of blocking calls between attempts (and for the adaptive rate limiter); empty:
  // std::this_thread::sleep_for. The async engine waits with timers of its own and never calls it.
  std::function<void(std::chrono::nanoseconds)> sleep{};
};

}  // namespace ivsrt
