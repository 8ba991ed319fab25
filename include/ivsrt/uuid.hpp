// Random version-4 UUIDs, for invocation ids and idempotency tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace ivsrt {

inline std::string uuid4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t a = rng();
  std::uint64_t b = rng();
  a = (a & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  constexpr char hex[] = "0123456789abcdef";
  // Written into a buffer first: one allocation and no per-character appends.
  char out[36];
  std::size_t n = 0;
  for (int i = 15; i >= 0; --i) {
    out[n++] = hex[(a >> (i * 4)) & 0xF];
    if (i == 8 || i == 4) out[n++] = '-';
  }
  out[n++] = '-';
  for (int i = 15; i >= 0; --i) {
    out[n++] = hex[(b >> (i * 4)) & 0xF];
    if (i == 12) out[n++] = '-';
  }
  return std::string(out, n);
}

}  // namespace ivsrt
