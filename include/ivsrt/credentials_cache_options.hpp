// When the client's credentials cache refreshes temporary credentials (see credentials_cache.hpp).
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "ivsrt/timestamp.hpp"

namespace ivsrt {

struct credentials_cache_options {
  std::chrono::seconds advisory_window{std::chrono::minutes(15)};
  std::chrono::seconds mandatory_window{std::chrono::minutes(10)};
  // After a failed refresh, how long still-valid credentials are used before the next attempt.
  std::chrono::seconds retry_delay{30};
  // The clock the windows are measured with; empty: the system clock.
  std::function<timestamp()> clock{};
  // Receives what was fetched (access key id and expiry, never secrets) and refresh failures.
  std::function<void(std::string_view)> log{};
};

}  // namespace ivsrt
