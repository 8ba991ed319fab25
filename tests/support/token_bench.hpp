// Benchmark hooks for participant tokens, for a benchmark harness to call: mint (or verify) N
// tokens on T threads and report the rate. Nothing here asserts a speed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "ivsrt/tokens/participant_token_signer.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"

namespace ivsrt_bench {

struct rate {
  std::size_t done = 0;                // operations that succeeded
  std::size_t failed = 0;              // operations that returned an error
  std::chrono::nanoseconds elapsed{};  // wall clock
  double cpu_seconds = 0;              // process CPU time, all threads
  [[nodiscard]] double per_second() const {
    return elapsed.count() > 0 ? static_cast<double>(done) * 1e9 / static_cast<double>(elapsed.count()) : 0.0;
  }
  // Operations per CPU-second: what one unloaded core would do, on a shared machine too.
  [[nodiscard]] double per_cpu_second() const {
    return cpu_seconds > 0 ? static_cast<double>(done) / cpu_seconds : 0.0;
  }
};

namespace detail {
template <class Op>
rate run_split(std::size_t n, unsigned threads, Op op) {
  if (threads == 0) threads = 1;
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t share = n / threads + (t < n % threads ? 1 : 0);
    pool.emplace_back([&, share] {
      std::size_t ok = 0;
      std::size_t bad = 0;
      for (std::size_t i = 0; i < share; ++i) (op(i) ? ok : bad) += 1;
      done += ok;
      failed += bad;
    });
  }
  for (auto& th : pool) th.join();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return {done.load(), failed.load(), std::chrono::steady_clock::now() - start, cpu};
}
}  // namespace detail

// Mints n tokens for `request` (each with a fresh participant ID unless the request sets one),
// spread over `threads` threads sharing one signer.
inline rate mint_tokens(const ivsrt::tokens::participant_token_signer& signer,
                        const ivsrt::tokens::mint_request& request, std::size_t n, unsigned threads = 1) {
  return detail::run_split(n, threads, [&](std::size_t) { return signer.mint(request).ok(); });
}

// Verifies `token` n times over `threads` threads sharing one verifier.
inline rate verify_tokens(const ivsrt::tokens::participant_token_verifier& verifier, const std::string& token,
                          std::size_t n, unsigned threads = 1) {
  return detail::run_split(n, threads, [&](std::size_t) { return verifier.verify(token).ok(); });
}

}  // namespace ivsrt_bench
