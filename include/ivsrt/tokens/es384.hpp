// ES384 (RFC 7518 section 3.4): ECDSA on P-384 with SHA-384, with the signature in the JOSE form
// -- R and S as 48-byte big-endian numbers, left-padded, concatenated -- rather than the DER
// structure OpenSSL produces and expects.
#pragma once

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace ivsrt::tokens::es384 {

inline constexpr std::size_t coordinate_size = 48;
inline constexpr std::size_t signature_size = 2 * coordinate_size;
using signature = std::array<std::uint8_t, signature_size>;

inline const EVP_MD* sha384_method() noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  // Fetched once: OpenSSL 3 would otherwise look the implementation up on every signature.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  return md != nullptr ? md : EVP_sha384();
#else
  return EVP_sha384();
#endif
}

namespace detail {
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct sig_deleter {
  void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};
using sig_ptr = std::unique_ptr<ECDSA_SIG, sig_deleter>;

// One digest context per thread, reset before each use: signing from many threads needs no lock.
inline EVP_MD_CTX* thread_ctx() noexcept {
  thread_local std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx(EVP_MD_CTX_new());
  EVP_MD_CTX_reset(ctx.get());
  return ctx.get();
}

// DER ECDSA-Sig-Value -> R || S; nullopt when der is not a P-384-sized signature.
inline std::optional<signature> der_to_jose(const unsigned char* der, std::size_t n) {
  const unsigned char* p = der;
  sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(n)));
  if (!sig || p != der + n) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  signature out{};
  if (BN_bn2binpad(r, out.data(), coordinate_size) != static_cast<int>(coordinate_size) ||
      BN_bn2binpad(s, out.data() + coordinate_size, coordinate_size) != static_cast<int>(coordinate_size)) {
    return std::nullopt;
  }
  return out;
}
}  // namespace detail

// Signs data with an ECDSA P-384 private key; nullopt only when OpenSSL fails.
inline std::optional<signature> sign(EVP_PKEY* key, std::string_view data) {
  EVP_MD_CTX* ctx = detail::thread_ctx();
  std::array<unsigned char, 128> der{};  // a P-384 DER signature is at most 104 bytes
  std::size_t der_len = der.size();
  if (EVP_DigestSignInit(ctx, nullptr, sha384_method(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx, der.data(), &der_len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    EVP_MD_CTX_reset(ctx);
    ERR_clear_error();
    return std::nullopt;
  }
  EVP_MD_CTX_reset(ctx);
  return detail::der_to_jose(der.data(), der_len);
}

// Checks a JOSE-form signature over data with an ECDSA P-384 public key.
inline bool verify(EVP_PKEY* key, std::string_view data, const std::uint8_t* sig, std::size_t sig_len) {
  if (sig_len != signature_size) return false;
  detail::sig_ptr parsed(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(sig, static_cast<int>(coordinate_size), nullptr);
  BIGNUM* s = BN_bin2bn(sig + coordinate_size, static_cast<int>(coordinate_size), nullptr);
  if (!parsed || r == nullptr || s == nullptr || ECDSA_SIG_set0(parsed.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return false;
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(parsed.get(), &der);
  if (der_len <= 0) {
    ERR_clear_error();
    return false;
  }
  EVP_MD_CTX* ctx = detail::thread_ctx();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, sha384_method(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, der, static_cast<std::size_t>(der_len),
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_reset(ctx);
  OPENSSL_free(der);
  if (!ok) ERR_clear_error();  // a bad signature is an answer, not an OpenSSL failure to report
  return ok;
}

}  // namespace ivsrt::tokens::es384
