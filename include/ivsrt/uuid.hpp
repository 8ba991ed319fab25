// Version-4 UUIDs: random ones for invocation ids and idempotency tokens, and the layout shared
// with participant IDs, whose bytes come from OpenSSL's CSPRNG instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace ivsrt {

// The version-4 UUID of 16 random bytes: the version and variant bits set, then 8-4-4-4-12
// lower-case hex.
inline std::string format_uuid4(std::array<unsigned char, 16> b) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  constexpr char hex[] = "0123456789abcdef";
  // Written into a buffer first: one allocation and no per-character appends.
  char out[36];
  std::size_t n = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[n++] = '-';
    out[n++] = hex[b[i] >> 4];
    out[n++] = hex[b[i] & 0xF];
  }
  return std::string(out, n);
}

// A version-4 UUID from a per-thread pseudo-random generator: unique, not secret.
inline std::string uuid4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::array<unsigned char, 16> b{};
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t v = rng();
    for (std::size_t i = 0; i < 8; ++i, v >>= 8) b[half * 8 + i] = static_cast<unsigned char>(v & 0xFF);
  }
  return format_uuid4(b);
}

}  // namespace ivsrt
