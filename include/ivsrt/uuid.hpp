// Random version-4 UUIDs, for invocation ids and idempotency tokens.
#pragma once

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
  std::string out;
  out.reserve(36);
  for (int i = 15; i >= 0; --i) {
    out += hex[(a >> (i * 4)) & 0xF];
    if (i == 8 || i == 4) out += '-';
  }
  out += '-';
  for (int i = 15; i >= 0; --i) {
    out += hex[(b >> (i * 4)) & 0xF];
    if (i == 12) out += '-';
  }
  return out;
}

}  // namespace ivsrt
