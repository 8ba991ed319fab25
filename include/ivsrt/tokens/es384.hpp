// ES384 (RFC 7518 section 3.4): ECDSA on P-384 with SHA-384, the signature in the JOSE form.
#pragma once

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ivsrt/ecdsa_jose.hpp"

namespace ivsrt::tokens::es384 {

inline constexpr std::size_t coordinate_size = 48;
inline constexpr std::size_t signature_size = 2 * coordinate_size;
using signature = ecdsa_jose::signature<coordinate_size>;

inline const EVP_MD* sha384_method() noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  // Fetched once: OpenSSL 3 would otherwise look the implementation up on every signature.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  return md != nullptr ? md : EVP_sha384();
#else
  return EVP_sha384();
#endif
}

// Signs data with an ECDSA P-384 private key; nullopt only when OpenSSL fails.
inline std::optional<signature> sign(EVP_PKEY* key, std::string_view data) {
  return ecdsa_jose::sign<coordinate_size>(key, sha384_method(), data);
}

// Checks a JOSE-form signature over data with an ECDSA P-384 public key.
inline bool verify(EVP_PKEY* key, std::string_view data, const std::uint8_t* sig, std::size_t sig_len) {
  return ecdsa_jose::verify<coordinate_size>(key, sha384_method(), data, sig, sig_len);
}

}  // namespace ivsrt::tokens::es384
