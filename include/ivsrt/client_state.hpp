// What one client holds, shared by its copies, its blocking calls and its async engines: resolved
// endpoint, signer, transport, credentials cache, retry settings and the state that calls share.
//
// Thread safety: a client_state is created once and then only read, except for members that
// are safe to use from many threads at once — the signer (its signing-key cache is locked), the
// credentials cache (locked; one caller refreshes), the retry quota (atomic), the adaptive rate
// limiter (locked), the corrected clock (atomic) and the transport (its handle pool is locked;
// only the DNS cache is shared between handles, under a lock).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "ivsrt/clock_skew.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/rate_limiter.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt::detail {

struct client_state {
  uri::endpoint endpoint;
  std::string origin;  // endpoint.origin() and endpoint.authority(), built once for every call
  std::string authority;
  std::unique_ptr<sigv4::signer> signer;
  std::unique_ptr<http::transport> transport;
  std::shared_ptr<const shared_config> config;
  std::shared_ptr<caching_provider> creds;
  bool validate = true;
  std::string user_agent;
  // Called from whichever thread runs a call (several at once when calls run in parallel).
  std::function<void(std::string_view)> log;
  retry::strategy retry;
  mutable retry::quota quota;                    // shared by all calls of the client
  std::unique_ptr<retry::rate_limiter> limiter;  // adaptive mode only
  // The blocking path's waits; the async engine waits on timers instead.
  std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) {
    std::this_thread::sleep_for(d);
  };
  std::chrono::milliseconds total_timeout{0};
  mutable clock_skew::corrected_clock clock;
  bool correct_clock_skew = true;
  bool in_lambda = false;  // calls carry X-Amzn-Trace-Id (recursion_detection.hpp)

  void say(const std::string& line) const {
    if (log) log(line);
  }
};

}  // namespace ivsrt::detail
